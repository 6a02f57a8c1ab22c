import { cutText, usableEmail, usableUserId } from "@auth-recipes/core/kit";
import type { KnownBlock } from "@slack/web-api";
import { escapeMrkdwn } from "./escape.ts";
import type { SlackEventInput, SlackMessageContent } from "./events.ts";

/** Options for {@link defaultSlackMessage}. */
export interface DefaultSlackMessageOptions {
  /**
   * Show the user's email address.
   * @default true
   */
  includeEmail?: boolean;
  /**
   * The time the message reports.
   * @default new Date()
   */
  now?: Date;
}

/** The user an event is about, as far as its message tells. */
export interface SlackEventUser {
  id?: string;
  name?: string;
  email?: string;
}

// Longer values are cut: a 10,000-character name must not make Slack refuse the message (a field holds
// 2000 characters, and escaping can make text five times longer).
const MAX_NAME = 100;
const MAX_EMAIL = 254;
const MAX_ID = 100;
const MAX_PROVIDER = 50;

const HEADERS = {
  createUser: "New sign-up",
  signIn: "Sign-in",
  signOut: "Sign-out",
  updateUser: "User updated",
  linkAccount: "Account linked",
} as const;

/**
 * Makes user-controlled text safe for mrkdwn: control characters and line breaks become spaces (a name
 * with a line break could draw a fake field), direction overrides go, long text is cut, and `&`, `<`, `>`
 * are escaped (a name like `<!channel>` then pings nobody). Returns `undefined` for an absent or blank value.
 */
function userText(value: unknown, max: number): string | undefined {
  if (typeof value !== "string") return undefined;
  const clean = value
    .replace(/[\p{Cc}\u2028\u2029]+/gu, " ")
    // Explicit direction overrides and isolates could make the rest of a line read backwards
    // ("\u202Egnp.exe"); right-to-left scripts keep their direction without them.
    .replace(/[\u202A-\u202E\u2066-\u2069]/g, "")
    .trim();
  if (!clean) return undefined;
  // By grapheme clusters, so an emoji sequence (a family, a flag) is kept or dropped whole.
  return escapeMrkdwn(cutText(clean, max, "…"));
}

function field(label: string, value: string | undefined): { type: "mrkdwn"; text: string } {
  return { type: "mrkdwn", text: `*${label}*\n${value ?? "_none_"}` };
}

/** The user an event is about: `user` for most events, the session's user or the token's claims on signOut. */
export function eventUser(input: SlackEventInput): SlackEventUser | undefined {
  let source: Record<string, unknown> | null | undefined;
  let id: unknown;
  if (input.event === "signOut") {
    const message = input.message as Record<string, unknown>;
    const token = message.token as Record<string, unknown> | null | undefined;
    const session = message.session as Record<string, unknown> | null | undefined;
    if (token) {
      source = token;
      id = token.sub;
    } else if (session) {
      source = session.user as Record<string, unknown> | undefined;
      id = session.userId;
    }
  } else {
    source = input.message.user as Record<string, unknown> | null | undefined;
    id = source?.id;
  }
  const user: SlackEventUser = {};
  // The kit's user id, as every recipe reads it: a numeric id counts, an id with control characters not.
  const usable = usableUserId(id);
  if (usable) user.id = usable;
  if (typeof source?.name === "string") user.name = source.name;
  // An address with invisible or bidi characters is no usable email: not shown, as a missing one.
  const email = usableEmail(source?.email);
  if (email) user.email = email;
  return user.id || user.name || user.email ? user : undefined;
}

/**
 * The message `slackNotify` posts when no `message` option is given: a `text` fallback (what
 * notifications show) and Block Kit blocks with a header, the user's name, email address, provider (for
 * signIn and linkAccount) and id, and when it happened, shown in each reader's time zone. Every value that
 * comes from the user is cut to length, stripped of line breaks and escaped with {@link escapeMrkdwn}.
 *
 * Use it to extend the default rather than replace it:
 *
 * @example
 * ```ts
 * slackNotify({
 *   client,
 *   channel: "#signups",
 *   message: (input) => {
 *     const message = defaultSlackMessage(input);
 *     return { ...message, text: `${message.text} :tada:` };
 *   },
 * });
 * ```
 */
export function defaultSlackMessage(
  input: SlackEventInput,
  options: DefaultSlackMessageOptions = {},
): SlackMessageContent {
  const { includeEmail = true, now = new Date() } = options;
  const user = eventUser(input) ?? {};
  const name = userText(user.name, MAX_NAME);
  const email = includeEmail ? userText(user.email, MAX_EMAIL) : undefined;
  const id = userText(user.id, MAX_ID);
  const account =
    input.event === "signIn" || input.event === "linkAccount" ? input.message.account : undefined;
  const provider = userText(account?.provider, MAX_PROVIDER);

  const who = name ?? email ?? (id ? `user ${id}` : "Someone");
  const whoWithEmail = name && email ? `${name} (${email})` : who;
  const newUser = input.event === "signIn" && input.message.isNewUser === true;
  const via = provider ? ` with ${provider}` : "";
  const text = {
    createUser: `New sign-up: ${whoWithEmail}`,
    signIn: newUser ? `New sign-up: ${whoWithEmail}${via}` : `${whoWithEmail} signed in${via}`,
    signOut: `${whoWithEmail} signed out`,
    updateUser: `User updated: ${whoWithEmail}`,
    linkAccount: `${whoWithEmail} linked ${provider ? `a ${provider}` : "an"} account`,
  }[input.event];

  const fields = [field("Name", name)];
  if (includeEmail) fields.push(field("Email", email));
  if (input.event === "signIn" || input.event === "linkAccount") {
    fields.push(field("Provider", provider));
  }
  fields.push(field("User ID", id));
  const seconds = Math.floor(now.getTime() / 1000);
  const iso = new Date(seconds * 1000).toISOString().replace(".000Z", "Z");
  const blocks: KnownBlock[] = [
    {
      type: "header",
      text: { type: "plain_text", text: newUser ? HEADERS.createUser : HEADERS[input.event] },
    },
    { type: "section", fields },
    {
      type: "context",
      // Slack renders the date in each reader's time zone; the text after `|` is the fallback.
      elements: [
        {
          type: "mrkdwn",
          text: `\`${input.event}\` · <!date^${seconds}^{date_short_pretty} at {time}|${iso}>`,
        },
      ],
    },
  ];
  return { text, blocks };
}
