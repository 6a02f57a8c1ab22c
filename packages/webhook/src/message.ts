import { cutText, usableUserId } from "@auth-recipes/core/kit";
import type { WebhookAccount, WebhookData, WebhookEventType, WebhookUser } from "./payload.ts";

/**
 * The auth events a webhook can deliver, by next-auth's names: every event but `session`, which fires
 * on every session read.
 */
export type WebhookEvent = "createUser" | "updateUser" | "signIn" | "signOut" | "linkAccount";

/** The payload's `type` for each auth event. */
export const TYPE_OF: Readonly<Record<WebhookEvent, WebhookEventType>> = {
  createUser: "user.created",
  updateUser: "user.updated",
  signIn: "user.signed_in",
  signOut: "user.signed_out",
  linkAccount: "account.linked",
};

/** Every {@link WebhookEvent}, in next-auth's order: the default `on`. */
export const WEBHOOK_EVENTS = Object.keys(TYPE_OF) as readonly WebhookEvent[];

// Bounds on what one field may carry into a delivery, so a hostile profile cannot make every delivery
// megabytes long. A name is cut (whole graphemes); an address or a URL cut short would be wrong, so
// one that long is left out (null) instead.
const MAX_NAME = 256;
const MAX_EMAIL = 320;
const MAX_URL = 2048;
const MAX_ID = 256;

/** The fields of next-auth's messages this recipe reads, typed loosely: v4 and v5 shapes both fit. */
interface Loose {
  [field: string]: unknown;
}

function loose(value: unknown): Loose | undefined {
  return typeof value === "object" && value !== null ? (value as Loose) : undefined;
}

// A lone surrogate is valid in a JSON string (escaped) but not in UTF-8: Postgres' jsonb, for one,
// refuses the payload. Each becomes U+FFFD, as TextEncoder would make it.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function wellFormed(value: string): string {
  return value.replace(LONE_SURROGATE, "\ufffd");
}

function bounded(value: unknown, max: number): string | null {
  return typeof value === "string" && value.length <= max ? wellFormed(value) : null;
}

function nameOf(value: unknown): string | null {
  return typeof value === "string" ? wellFormed(cutText(value, MAX_NAME, "…")) : null;
}

/** A date as an ISO 8601 string: a `Date`, a date string or epoch milliseconds; else null. */
function isoDate(value: unknown): string | null {
  const date =
    value instanceof Date
      ? value
      : typeof value === "string" || typeof value === "number"
        ? new Date(value)
        : undefined;
  // toISOString throws on an invalid date and on one beyond ±275,760 years.
  return date && Number.isFinite(date.getTime()) ? date.toISOString() : null;
}

function userOf(
  id: string,
  fields: Loose | undefined,
  image: unknown = fields?.image,
): WebhookUser {
  return {
    id,
    email: bounded(fields?.email, MAX_EMAIL),
    name: nameOf(fields?.name),
    image: bounded(image, MAX_URL),
    emailVerified: isoDate(fields?.emailVerified),
  };
}

/** A string id of an account field: a string, or a number some adapters store. */
function idText(value: unknown): string | undefined {
  if (typeof value === "number" && Number.isSafeInteger(value)) return String(value);
  return typeof value === "string" && value.length <= MAX_ID ? wellFormed(value) : undefined;
}

/** The account's three public fields; never the object itself, which carries the OAuth tokens. */
function accountOf(value: unknown): WebhookAccount | undefined {
  const account = loose(value);
  const provider = idText(account?.provider);
  const type = idText(account?.type);
  const providerAccountId = idText(account?.providerAccountId);
  if (provider === undefined || type === undefined || providerAccountId === undefined) {
    return undefined;
  }
  return { provider, type, providerAccountId };
}

/** The data of a `user.*` event about `message.user`, or undefined when the user has no usable id. */
function aboutUser(message: unknown): WebhookData | undefined {
  const user = loose(loose(message)?.user);
  const id = usableUserId(user?.id);
  return id === undefined ? undefined : { user: userOf(id, user) };
}

/**
 * The delivery's `data` for one auth event, from next-auth's (or better-auth's translated) message;
 * `undefined` when the event names no user the recipe can identify (it is then skipped).
 */
export function dataOf(type: WebhookEventType, message: unknown): WebhookData | undefined {
  switch (type) {
    case "user.created":
    case "user.updated":
      return aboutUser(message);
    case "user.signed_in": {
      const data = aboutUser(message);
      if (!data) return undefined;
      const { account, isNewUser } = loose(message) ?? {};
      const linked = accountOf(account);
      if (linked) data.account = linked;
      if (typeof isNewUser === "boolean") data.isNewUser = isNewUser;
      return data;
    }
    case "user.signed_out": {
      // `{ token }` with JWT sessions, `{ session }` (the adapter's row) with database sessions.
      const { token, session } = loose(message) ?? {};
      const jwt = loose(token);
      const row = loose(session);
      const sessionUser = loose(row?.user);
      const jwtId = usableUserId(jwt?.sub);
      if (jwtId !== undefined) return { user: userOf(jwtId, jwt, jwt?.picture ?? jwt?.image) };
      const id = usableUserId(row?.userId) ?? usableUserId(sessionUser?.id);
      return id === undefined ? undefined : { user: userOf(id, sessionUser) };
    }
    case "account.linked": {
      const { user: rawUser, account } = loose(message) ?? {};
      const user = loose(rawUser);
      const linked = accountOf(account);
      const id = usableUserId(user?.id) ?? usableUserId(loose(account)?.userId);
      if (id === undefined) return undefined;
      const data: WebhookData = { user: userOf(id, user) };
      if (linked) data.account = linked;
      return data;
    }
  }
}
