/**
 * The names of the events next-auth (v4) and Auth.js (v5) emit, in the order the docs list them.
 * @public
 */
export const EVENT_NAMES: readonly EventName[] = [
  "signIn",
  "signOut",
  "createUser",
  "updateUser",
  "linkAccount",
  "session",
];

/** One of next-auth's event names. */
export type EventName =
  | "signIn"
  | "signOut"
  | "createUser"
  | "updateUser"
  | "linkAccount"
  | "session";

/**
 * A place for apps to register their own user type, the way they augment next-auth's `User`:
 *
 * ```ts
 * import type { User } from "next-auth";
 * declare module "@auth-recipes/core" {
 *   interface Register { user: User }
 * }
 * ```
 *
 * Handlers then see the app's fields (`message.user.role`) with their types.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by module augmentation in user code.
export interface Register {}

/**
 * The user as next-auth passes it to events: its `User` (v4, v5) or `AdapterUser`. Only the fields every
 * generation has are typed; register your own type through {@link Register}.
 */
export interface DefaultAuthUser {
  /** The database id (adapter users always have one). */
  id?: string;
  name?: string | null;
  email?: string | null;
  image?: string | null;
}

/** The user type handlers see: {@link Register}'s `user` when an app registered one, else {@link DefaultAuthUser}. */
export type AuthUser = Register extends { user: infer U } ? U : DefaultAuthUser;

/**
 * An account as next-auth passes it to `signIn` and `linkAccount`. OAuth accounts also carry
 * `access_token`, `refresh_token` and `id_token`: never forward the object as it is.
 */
export interface AuthAccount {
  /** The provider's id, such as `"github"` or `"email"`. */
  provider: string;
  /** `"oauth"`, `"oidc"`, `"email"`, `"credentials"` or `"webauthn"`. */
  type: string;
  providerAccountId: string;
  userId?: string;
}

/** The OAuth profile as next-auth passes it to `signIn`. */
export interface AuthProfile {
  sub?: string | null;
  name?: string | null;
  email?: string | null;
  image?: string | null;
}

/** The session object: next-auth's `Session` (JWT strategy) or the adapter's session row (database strategy). */
export interface AuthSession {
  user?: { name?: string | null; email?: string | null; image?: string | null } | undefined;
  /** The adapter session's user id (database strategy). */
  userId?: string;
  sessionToken?: string;
}

/** A decoded next-auth JWT. `sub` is the user id. */
export interface AuthToken {
  sub?: string;
  name?: string | null;
  email?: string | null;
  [claim: string]: unknown;
}

/**
 * The message next-auth passes with each event, typed loosely enough that both v4's and v5's
 * messages fit.
 */
export interface EventMessages {
  signIn: {
    user: AuthUser;
    account?: AuthAccount | null;
    profile?: AuthProfile;
    /** `true` on sign-up; `undefined` without a database adapter. */
    isNewUser?: boolean;
  };
  /** `{ token }` with the JWT strategy, `{ session }` with the database strategy. */
  signOut: { session: AuthSession | null | undefined | void } | { token: AuthToken | null };
  createUser: { user: AuthUser };
  updateUser: { user: AuthUser };
  linkAccount: { user: AuthUser; account: AuthAccount; profile: AuthProfile | AuthUser };
  session: { session: AuthSession; token?: AuthToken | null };
}
