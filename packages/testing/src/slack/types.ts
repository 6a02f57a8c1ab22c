import type { Emulator, EmulatorOptions } from "../emulator/types.ts";

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
