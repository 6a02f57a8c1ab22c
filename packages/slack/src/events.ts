import type { EventMessages } from "@auth-recipes/core";
import type { KnownBlock } from "@slack/web-api";

/**
 * The events `slackNotify` can announce: every next-auth event except `session`, which fires on every
 * session read and would post a message per page view.
 */
export type SlackEvent = "signIn" | "signOut" | "createUser" | "updateUser" | "linkAccount";

/** The events `slackNotify` can announce, in next-auth's order. */
export const SLACK_EVENTS: readonly SlackEvent[] = [
  "signIn",
  "signOut",
  "createUser",
  "updateUser",
  "linkAccount",
];

/**
 * What a `message` function receives: the event's name and next-auth's message for it, a union over the
 * events `E` (those named in `on`) that narrows on `event`.
 */
export type SlackEventInput<E extends SlackEvent = SlackEvent> = {
  [K in E]: { event: K; message: EventMessages[K] };
}[E];

/** A Slack message: the `text` (the notification and fallback) and optional Block Kit blocks. */
export interface SlackMessageContent {
  /** Shown in notifications and where blocks cannot be; mrkdwn, so escape user text in it. */
  text: string;
  /** The Block Kit layout; without it Slack shows `text`. */
  blocks?: KnownBlock[];
}
