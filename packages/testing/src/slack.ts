import { extendEmulator } from "./emulator/base.ts";
import type {
  Emulator,
  EmulatorOptions,
  EmulatorResponse,
  RecordedRequest,
} from "./emulator/types.ts";
import { startHttpEmulator } from "./http-emulator.ts";

/** A channel the Slack emulator knows. */
export interface SlackChannel {
  /** The channel id, such as `C0SIGNUPS`. */
  id: string;
  /** The name without `#`, such as `signups`. */
  name: string;
  /**
   * Whether the app is a member: posting to a channel it is not in fails with `not_in_channel`.
   * @default true
   */
  member?: boolean;
  /**
   * An archived channel refuses posts with `is_archived`.
   * @default false
   */
  archived?: boolean;
}

/** Options for {@link startSlackApi}. */
export interface SlackApiOptions extends EmulatorOptions {
  /**
   * The one token the emulator accepts, as `Authorization: Bearer …` or a `token` form field.
   * @default "xoxb-emulated-0000-token"
   */
  token?: string;
  /**
   * The channels that exist; posting anywhere else fails with `channel_not_found`.
   * @default [{ id: "C0SIGNUPS", name: "signups" }]
   */
  channels?: SlackChannel[];
}

/** A Block Kit block or element as the emulator received it (parsed from JSON). */
export type SlackBlock = Record<string, unknown>;

/** A message `chat.postMessage` accepted. */
export interface SlackMessage {
  /** The channel's id, whichever way the client named it. */
  channel: string;
  /** The channel's name, without `#`. */
  channelName: string;
  /** The timestamp Slack would give the message, which is also its id in the channel. */
  ts: string;
  /** The `text` argument (the notification fallback when there are blocks). */
  text: string | undefined;
  /** The `blocks` argument, parsed (a form body carries them as a JSON string). */
  blocks: SlackBlock[] | undefined;
  /** Every argument received, with `blocks` and `attachments` parsed and the token left out. */
  params: Record<string, unknown>;
  /** How the arguments came: a form-encoded body or a JSON one. */
  encoding: "form" | "json";
  /**
   * Everyone this message would notify, as Slack would render it: `<!channel>`, `<!here>`, `<!everyone>`,
   * `<@U…>` and `<!subteam^…>` in mrkdwn text (the `text` argument unless `mrkdwn: false`, and every
   * `mrkdwn` text object in the blocks), `broadcast` and `user` elements of rich text blocks, and with
   * `link_names` or `parse: "full"` the bare `@channel`, `@here`, `@everyone` and `@name` too.
   * A message built from escaped user text has none.
   */
  mentions: string[];
  /** Every `<url|label>` link in mrkdwn text: a user name must never turn into one. */
  links: string[];
}

/** What {@link startSlackApi} returns: the Slack Web API on 127.0.0.1. */
export interface SlackEmulator extends Emulator {
  /** The token the emulator accepts: `new WebClient(emulator.token, emulator.clientOptions)`. */
  token: string;
  /** The options that point a `WebClient` at the emulator: `{ slackApiUrl: "<url>/api/" }`. */
  clientOptions: { slackApiUrl: string };
  /** The channels that exist. */
  channels: SlackChannel[];
  /** Every message posted, in order, across channels. */
  messages: SlackMessage[];
  /** The messages posted to one channel, named by id, `name` or `#name`; `[]` for an unknown channel. */
  channel(name: string): SlackMessage[];
}

const DEFAULT_TOKEN = "xoxb-emulated-0000-token";
const DEFAULT_CHANNELS: SlackChannel[] = [{ id: "C0SIGNUPS", name: "signups" }];

// Slack's documented limits; a real workspace answers `invalid_blocks` or `msg_too_long` past them, so a
// recipe that passes here will not be refused there for long user input.
const MAX_BLOCKS = 50;
const MAX_TEXT = 40_000;
const MAX_SECTION_TEXT = 3000;
const MAX_FIELD_TEXT = 2000;
const MAX_FIELDS = 10;
const MAX_HEADER_TEXT = 150;
const MAX_CONTEXT_ELEMENTS = 10;

// Slack's special mentions in mrkdwn: `<!channel>`, `<!here|here>`, `<@U123>`, `<!subteam^S1>`.
const MENTION = /<(!(?:channel|here|everyone)|@[UW][A-Z0-9]+|!subteam\^[A-Z0-9]+)(?:\|[^>]*)?>/g;
const LINK = /<((?:https?|mailto|ftp|slack):[^|>]*)(?:\|[^>]*)?>/gi;
// What `link_names` turns into mentions.
const BARE_MENTION = /(?:^|[^\w&])@(channel|here|everyone|[a-z0-9][\w.-]*)/gi;

type Params = Record<string, unknown>;

/** The answer Slack gives to a failed call: HTTP 200 with `ok: false`. */
function platformError(error: string, extra: Params = {}): EmulatorResponse {
  return { status: 200, body: { ok: false, error, ...extra } };
}

function length(text: string): number {
  return [...text].length;
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
  const token = options.token ?? DEFAULT_TOKEN;
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

function parseJsonField(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Params {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Checks blocks against the parts of Slack's Block Kit rules a notification can break. */
function blockErrors(blocks: unknown[]): string[] {
  const errors: string[] = [];
  if (blocks.length > MAX_BLOCKS) errors.push(`must be ${MAX_BLOCKS} blocks or fewer [/blocks]`);
  const textObject = (
    value: unknown,
    where: string,
    max: number,
    kinds = ["plain_text", "mrkdwn"],
  ) => {
    if (!isObject(value) || !kinds.includes(value.type as string)) {
      errors.push(`must be a ${kinds.join(" or ")} text object [${where}]`);
    } else if (typeof value.text !== "string" || value.text.length === 0) {
      errors.push(`must be more than 0 characters [${where}/text]`);
    } else if (length(value.text) > max) {
      errors.push(`must be less than ${max + 1} characters [${where}/text]`);
    }
  };
  blocks.forEach((block, index) => {
    const where = `/blocks/${index}`;
    if (!isObject(block) || typeof block.type !== "string") {
      errors.push(`must be a block object with a type [${where}]`);
      return;
    }
    switch (block.type) {
      case "header":
        textObject(block.text, `${where}/text`, MAX_HEADER_TEXT, ["plain_text"]);
        break;
      case "section": {
        if (block.text === undefined && block.fields === undefined) {
          errors.push(`must provide text or fields [${where}]`);
        }
        if (block.text !== undefined) textObject(block.text, `${where}/text`, MAX_SECTION_TEXT);
        if (block.fields !== undefined) {
          if (!Array.isArray(block.fields) || block.fields.length > MAX_FIELDS) {
            errors.push(`must be an array of ${MAX_FIELDS} items or fewer [${where}/fields]`);
          } else {
            block.fields.forEach((field, i) => {
              textObject(field, `${where}/fields/${i}`, MAX_FIELD_TEXT);
            });
          }
        }
        break;
      }
      case "context": {
        const elements = block.elements;
        if (
          !Array.isArray(elements) ||
          !elements.length ||
          elements.length > MAX_CONTEXT_ELEMENTS
        ) {
          errors.push(`must be an array of 1 to ${MAX_CONTEXT_ELEMENTS} items [${where}/elements]`);
        } else {
          elements.forEach((element, i) => {
            if (isObject(element) && element.type === "image") return;
            textObject(element, `${where}/elements/${i}`, MAX_SECTION_TEXT);
          });
        }
        break;
      }
      default:
      // Other block types (divider, image, actions, rich_text, …) are accepted as they are.
    }
  });
  return errors;
}

/** What a message would ping and link once Slack renders it. */
function notifications(params: Params): { mentions: string[]; links: string[] } {
  const mentions: string[] = [];
  const links: string[] = [];
  const linkNames =
    params.link_names === true ||
    params.link_names === "true" ||
    params.link_names === 1 ||
    params.link_names === "1" ||
    params.parse === "full";
  const scan = (text: string) => {
    for (const [whole] of text.matchAll(MENTION)) mentions.push(whole);
    for (const [, url] of text.matchAll(LINK)) links.push(url as string);
    if (linkNames) for (const [, name] of text.matchAll(BARE_MENTION)) mentions.push(`@${name}`);
  };
  const mrkdwn = params.mrkdwn !== false && params.mrkdwn !== "false";
  if (typeof params.text === "string" && mrkdwn) scan(params.text);
  const walk = (value: unknown) => {
    if (Array.isArray(value)) {
      value.forEach(walk);
      return;
    }
    if (!isObject(value)) return;
    if (value.type === "mrkdwn" && typeof value.text === "string") scan(value.text);
    // Rich text pings through elements, not markup.
    if (value.type === "broadcast" && typeof value.range === "string")
      mentions.push(`<!${value.range}>`);
    if (value.type === "user" && typeof value.user_id === "string")
      mentions.push(`<@${value.user_id}>`);
    if (value.type === "usergroup" && typeof value.usergroup_id === "string") {
      mentions.push(`<!subteam^${value.usergroup_id}>`);
    }
    for (const child of Object.values(value)) {
      if (typeof child === "object") walk(child);
    }
  };
  walk(params.blocks);
  walk(params.attachments);
  return { mentions, links };
}
