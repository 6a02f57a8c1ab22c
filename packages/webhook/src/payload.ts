/** The event types a webhook delivers, one per auth event. */
export const WEBHOOK_EVENT_TYPES = [
  "user.created",
  "user.updated",
  "user.signed_in",
  "user.signed_out",
  "account.linked",
] as const;

/**
 * What happened: `user.created` (next-auth's `createUser`), `user.updated` (`updateUser`),
 * `user.signed_in` (`signIn`), `user.signed_out` (`signOut`), `account.linked` (`linkAccount`).
 */
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/**
 * The user an event is about. Every field is present; a value the auth library did not give is `null`
 * (a sign-out with a JWT knows only what the token holds).
 */
export interface WebhookUser {
  /** The user's id in your database (a JWT's `sub` on sign-out). */
  id: string;
  email: string | null;
  name: string | null;
  /** The URL of the user's picture. */
  image: string | null;
  /** When the email address was verified, as an ISO 8601 string, or `null`. */
  emailVerified: string | null;
}

/** The account of a sign-in or a link: which provider, never its tokens. */
export interface WebhookAccount {
  /** The provider's id, such as `"github"` or `"email"`. */
  provider: string;
  /** `"oauth"`, `"oidc"`, `"email"`, `"credentials"` or `"webauthn"`. */
  type: string;
  /** The user's id at the provider. */
  providerAccountId: string;
}

/** The event's data: the user, and for a sign-in or a link the account. */
export interface WebhookData {
  user: WebhookUser;
  /** On `user.signed_in` (when the auth library gave one) and `account.linked`. */
  account?: WebhookAccount;
  /** On `user.signed_in`, when the auth library knows: `true` for the sign-in that created the user. */
  isNewUser?: boolean;
}

/**
 * The JSON body of every delivery. No token ever appears in it: no OAuth access, refresh or id token,
 * no session token.
 *
 * @typeParam T - The event type, to narrow a payload after checking its `type`.
 * @example
 * ```ts
 * import type { WebhookPayload } from "@auth-recipes/webhook";
 *
 * function handle(payload: WebhookPayload) {
 *   if (payload.type === "user.created") console.log("new user", payload.data.user.id);
 * }
 * ```
 */
export interface WebhookPayload<T extends WebhookEventType = WebhookEventType> {
  type: T;
  /** When the recipe made the delivery, as an ISO 8601 string (the same on every retry of it). */
  timestamp: string;
  data: WebhookData;
}
