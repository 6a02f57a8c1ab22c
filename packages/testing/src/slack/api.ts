import { extendEmulator } from "../emulator/base.ts";
import type { EmulatorResponse, RecordedRequest } from "../emulator/types.ts";
import { startHttpEmulator } from "../http-emulator.ts";
import { blockErrors, length, MAX_TEXT, type Params, parseJsonField } from "./blocks.ts";
import { slackDefaults } from "./defaults.ts";
import { notifications } from "./notifications.ts";
import type {
  SlackApiOptions,
  SlackBlock,
  SlackChannel,
  SlackEmulator,
  SlackMessage,
} from "./types.ts";

const DEFAULT_CHANNELS: SlackChannel[] = [{ id: "C0SIGNUPS", name: "signups" }];

/** The answer Slack gives to a failed call: HTTP 200 with `ok: false`. */
function platformError(error: string, extra: Params = {}): EmulatorResponse {
  return { status: 200, body: { ok: false, error, ...extra } };
}

/**
 * Starts an emulator of the Slack Web API on 127.0.0.1: `chat.postMessage` (form-encoded and JSON bodies,
 * Block Kit limits checked) and `auth.test`, with Slack's errors (`not_authed`, `invalid_auth`,
 * `channel_not_found`, `not_in_channel`, `is_archived`, `no_text`, `invalid_blocks`, `msg_too_long`,
 * `unknown_method`) answered as Slack does, HTTP 200 with `ok: false`. Messages are recorded per channel,
 * with the mentions they would ping. Point `@slack/web-api` at it with `clientOptions`.
 *
 * @example
 * ```ts
 * const slack = await startSlackApi();
 * const client = new WebClient(slack.token, { ...slack.clientOptions, retryConfig: { retries: 0 } });
 * await client.chat.postMessage({ channel: "#signups", text: "hi" });
 * slack.channel("#signups")[0]?.text; // "hi"
 * ```
 */
export async function startSlackApi(options: SlackApiOptions = {}): Promise<SlackEmulator> {
  const token = options.token ?? slackDefaults.credentials.slackToken;
  const channels = (options.channels ?? DEFAULT_CHANNELS).map((channel) => ({ ...channel }));
  const messages: SlackMessage[] = [];
  let sequence = 0;

  const findChannel = (name: string): SlackChannel | undefined => {
    const bare = name.startsWith("#") ? name.slice(1) : name;
    return channels.find((channel) => channel.id === name || channel.name === bare);
  };

  const postMessage = (params: Params, encoding: "form" | "json"): EmulatorResponse => {
    const channel = typeof params.channel === "string" ? findChannel(params.channel) : undefined;
    if (!channel) return platformError("channel_not_found");
    if (channel.archived) return platformError("is_archived");
    if (channel.member === false) return platformError("not_in_channel");

    const text = params.text === undefined ? undefined : String(params.text);
    let blocks: SlackBlock[] | undefined;
    if (params.blocks !== undefined) {
      const parsed = parseJsonField(params.blocks);
      if (!Array.isArray(parsed)) return platformError("invalid_blocks_format");
      const errors = blockErrors(parsed);
      if (errors.length) return platformError("invalid_blocks", { errors });
      blocks = parsed as SlackBlock[];
    }
    if (params.attachments !== undefined) params.attachments = parseJsonField(params.attachments);
    if (!text && !blocks?.length && !params.attachments) return platformError("no_text");
    if (text && length(text) > MAX_TEXT) return platformError("msg_too_long");

    sequence++;
    const ts = `${Math.floor(Date.now() / 1000)}.${String(sequence).padStart(6, "0")}`;
    const recorded = { ...params, blocks };
    const { mentions, links } = notifications(recorded);
    messages.push({
      channel: channel.id,
      channelName: channel.name,
      ts,
      text,
      blocks,
      params: recorded,
      encoding,
      mentions,
      links,
    });
    return {
      status: 200,
      body: {
        ok: true,
        channel: channel.id,
        ts,
        message: {
          type: "message",
          subtype: "bot_message",
          bot_id: "B0EMULATED",
          text,
          blocks,
          ts,
        },
      },
    };
  };

  const handle = (request: RecordedRequest): EmulatorResponse => {
    const url = new URL(request.path, "http://emulator");
    const match = /^\/api\/([\w.]+)$/.exec(url.pathname);
    if (!match) return { status: 404, body: "Not Found" };
    const contentType = String(request.headers["content-type"] ?? "");
    const encoding = contentType.startsWith("application/json") ? "json" : "form";
    let params: Params = Object.fromEntries(url.searchParams);
    if (request.body) {
      if (encoding === "json") {
        let parsed: unknown;
        try {
          parsed = JSON.parse(request.body);
        } catch {
          return platformError("invalid_json");
        }
        if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
          return platformError("invalid_json");
        }
        params = { ...params, ...(parsed as Params) };
      } else {
        params = { ...params, ...Object.fromEntries(new URLSearchParams(request.body)) };
      }
    }

    // Slack reads the token from the header, or (form bodies only) from a `token` argument.
    const header = String(request.headers.authorization ?? "");
    const bearer = /^Bearer (.+)$/.exec(header)?.[1];
    const given = bearer ?? (encoding === "form" ? params.token : undefined);
    delete params.token;
    if (given === undefined || given === "") return platformError("not_authed");
    if (given !== token) return platformError("invalid_auth");

    switch (match[1]) {
      case "auth.test":
        return {
          status: 200,
          body: {
            ok: true,
            url: "https://emulated.slack.test/",
            team: "Emulated Workspace",
            user: "auth-recipes",
            team_id: "T0EMULATED",
            user_id: "U0EMULATED",
            bot_id: "B0EMULATED",
            is_enterprise_install: false,
          },
        };
      case "chat.postMessage":
        return postMessage(params, encoding);
      default:
        return platformError("unknown_method");
    }
  };

  const emulator = await startHttpEmulator(options, handle, () => {
    messages.length = 0;
  });
  return extendEmulator(emulator, {
    token,
    clientOptions: { slackApiUrl: `${emulator.url}/api/` },
    channels,
    messages,
    channel(name: string): SlackMessage[] {
      const channel = findChannel(name);
      return channel ? messages.filter((message) => message.channel === channel.id) : [];
    },
  });
}
