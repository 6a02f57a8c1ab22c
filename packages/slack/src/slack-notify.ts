import {
  type Awaitable,
  type HandlerContext,
  isSkip,
  type Recipe,
  type RecipeEvents,
  type RetryOptions,
  type Skip,
  skip,
} from "@auth-recipes/core";
import { checkOptions, chosenEvents, configError, withRecipeOptions } from "@auth-recipes/core/kit";
import type { WebClient } from "@slack/web-api";
import { defaultSlackMessage, eventUser } from "./default-message.ts";
import { toSlackNotifyError } from "./errors.ts";
import {
  SLACK_EVENTS,
  type SlackEvent,
  type SlackEventInput,
  type SlackMessageContent,
} from "./events.ts";

/** Options for {@link slackNotify}; `E` is the events named in `on`. */
export interface SlackNotifyOptions<E extends SlackEvent = SlackEvent> {
  /**
   * The `WebClient` from `@slack/web-api` to post with, its token holding the `chat:write` scope. Give
   * it a bounded `retryConfig` and a `timeout`: its defaults retry for about 30 minutes and never time out.
   */
  client: WebClient;
  /** The channel to post to: an id (`C0123456789`) or a name (`#signups`). */
  channel: string;
  /**
   * The events to announce: any of `signIn`, `signOut`, `createUser`, `updateUser` and `linkAccount`.
   * Not `session`, which fires on every session read.
   * @default ["createUser"]
   */
  on?: readonly E[];
  /**
   * Builds the message instead of the default one. Escape user text that goes into mrkdwn with
   * `escapeMrkdwn` (or put it in `plain_text` objects); return `skip(reason)` to post nothing.
   * @default defaultSlackMessage
   */
  message?: (input: SlackEventInput<E>) => Awaitable<SlackMessageContent | Skip>;
  /**
   * Show the user's email address in the default message.
   * @default true
   */
  includeEmail?: boolean;
  /**
   * Bounds each attempt, in ms; overrides `composeEvents`' `timeoutMs`.
   * @default composeEvents' timeoutMs (10000)
   */
  timeoutMs?: number;
  /**
   * Retry failed attempts; overrides `composeEvents`' `retry`. Rate limits (after their `Retry-After`), 5xx and network errors are retried; Slack's `ok: false` answers never. Slack has no idempotency: a retry after a lost answer can post twice.
   * @default composeEvents' retry (off)
   */
  retry?: boolean | RetryOptions;
}

const PKG = "slack";

/** A failure that no retry can mend: the `message` option returned something that is not a message. */
function badMessage(): never {
  const error = configError(
    PKG,
    'option "message" must return { text, blocks? } with a non-empty text, or skip(reason)',
  ) as TypeError & { retryable: boolean };
  error.retryable = false;
  throw error;
}

/** Validates the options once, at construction; returns the events to handle. */
function eventsToHandle(options: SlackNotifyOptions<SlackEvent>): readonly SlackEvent[] {
  checkOptions(PKG, "slackNotify", options, {
    client: {
      required: true,
      test: (client) => typeof (client as Partial<WebClient>).chat?.postMessage === "function",
      is: "a WebClient from @slack/web-api",
    },
    channel: {
      required: true,
      test: (channel) => typeof channel === "string" && channel.trim() !== "",
      is: 'a channel id or name such as "#signups"',
    },
    on: {},
    message: "function",
    includeEmail: "boolean",
  });
  if (Array.isArray(options.on) && (options.on as unknown[]).includes("session")) {
    throw configError(
      PKG,
      'option "on" cannot include "session": it fires on every session read, so it would post a message per page view',
    );
  }
  return chosenEvents(PKG, options.on, SLACK_EVENTS, ["createUser"]);
}

/**
 * A recipe that posts a message to a Slack channel when a user signs up (by default) or on the other
 * events named in `on`, with `@slack/web-api`'s `WebClient`.
 *
 * The default message has a `text` fallback and Block Kit blocks with who, which provider and when; user
 * text is escaped, so a user named `<!channel>` pings nobody. Slack's `ok: false` answers (such as
 * `channel_not_found` or `invalid_auth`) fail without a retry; rate limits, 5xx answers and network errors
 * are marked retryable. The token never appears in an error message.
 *
 * @example
 * ```ts
 * import { WebClient } from "@slack/web-api";
 *
 * const client = new WebClient(process.env.SLACK_BOT_TOKEN, {
 *   retryConfig: { retries: 1, minTimeout: 500, maxTimeout: 1000 }, // not the default ~30 minutes
 *   timeout: 3000, // each request ends by itself, before core's 10 s timeout
 * });
 * composeEvents([slackNotify({ client, channel: "#signups" })]);
 * ```
 */
export function slackNotify<E extends SlackEvent = SlackEvent>(
  options: SlackNotifyOptions<E>,
): Recipe {
  const on = eventsToHandle(options as unknown as SlackNotifyOptions<SlackEvent>);
  const { client, channel, message, includeEmail = true } = options;

  const handler = async (eventMessage: unknown, context: HandlerContext): Promise<void | Skip> => {
    const input = { event: context.event, message: eventMessage } as SlackEventInput;
    let content: SlackMessageContent | Skip;
    if (message) {
      content = await message(input as SlackEventInput<E>);
    } else {
      // An event that names nobody (a sign-out without a session or token) has nothing to announce.
      if (!eventUser(input)) return skip(`no user in the ${input.event} message`);
      content = defaultSlackMessage(input, { includeEmail });
    }
    if (isSkip(content)) return content;
    if (typeof content?.text !== "string" || !content.text.trim()) badMessage();
    if (content.blocks !== undefined && !Array.isArray(content.blocks)) badMessage();
    try {
      await client.chat.postMessage({
        channel,
        text: content.text,
        ...(content.blocks ? { blocks: content.blocks } : {}),
        // No previews: a URL in a user's name must not make Slack fetch it and show a card.
        unfurl_links: false,
        unfurl_media: false,
      });
    } catch (error) {
      throw toSlackNotifyError(error, client.token);
    }
  };

  const events: RecipeEvents = {};
  for (const event of on) {
    (events as Record<string, typeof handler>)[event] = handler;
  }
  return withRecipeOptions({ name: "slack", events }, options);
}
