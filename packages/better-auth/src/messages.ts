import type { AuthAccount, AuthSession, AuthUser, EventMessages } from "@auth-recipes/core";

/** A database row as better-auth hands it to a hook: its fields, typed loosely. */
export type Row = Record<string, unknown>;

/** The account id better-auth gives email and password sign-ups: not an account next-auth would link. */
export const CREDENTIAL_PROVIDER = "credential";

const text = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" ? value : undefined;

const date = (value: unknown): Date | undefined => {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value === "string" || typeof value === "number") {
    const parsed = new Date(value);
    return Number.isNaN(parsed.getTime()) ? undefined : parsed;
  }
  return undefined;
};

/**
 * next-auth's `emailVerified` is when the address was verified, or `null`. better-auth keeps a boolean
 * (some SQL drivers hand back 0/1) and no instant: the row's `updatedAt` is the closest it records.
 */
function emailVerifiedAt(row: Row): Date | null {
  const value = row.emailVerified;
  if (value instanceof Date) return value;
  if (value === true || value === 1)
    return date(row.updatedAt) ?? date(row.createdAt) ?? new Date();
  return null;
}

/**
 * better-auth's user row in next-auth's `AdapterUser` shape: every column is kept (an app's
 * `additionalFields` too, as next-auth keeps an adapter's columns), `emailVerified` is a `Date` or
 * `null`, and a missing name or image is `null`: better-auth stores `""` for a provider that gave no name,
 * where next-auth stores `null`, and recipes greet a `null` name by design. User rows hold no secrets.
 */
export function toUser(row: Row): AuthUser {
  return {
    ...row,
    id: String(row.id),
    name: text(row.name) ?? null,
    email: text(row.email) ?? null,
    image: text(row.image) ?? null,
    emailVerified: emailVerifiedAt(row),
  } as AuthUser;
}

/** A user known only by id (its row could not be read): recipes that need more skip it. */
export function userById(id: string): AuthUser {
  return { id } as AuthUser;
}

/**
 * An account row as next-auth's `Account`: `providerId` → `provider`, `accountId` →
 * `providerAccountId`, and only the named fields, so no token, expiry or password hash can leak.
 */
export function toAccount(row: Row): AuthAccount & { scope?: string } {
  const provider = String(row.providerId);
  const account: AuthAccount & { scope?: string } = {
    provider,
    type: provider === CREDENTIAL_PROVIDER ? "credentials" : "oauth",
    providerAccountId: String(row.accountId),
  };
  const userId = text(row.userId);
  if (userId) account.userId = userId;
  const scope = text(row.scope);
  if (scope) account.scope = scope;
  return account;
}

/**
 * A session row as next-auth's adapter session, without its token: `{ userId, expires }` (next-auth's
 * `sessionToken` is better-auth's `token`, a bearer secret, so it is left out).
 */
export function toSession(row: Row): AuthSession & { expires?: Date } {
  const session: AuthSession & { expires?: Date } = {};
  const userId = text(row.userId);
  if (userId) session.userId = userId;
  const expires = date(row.expiresAt);
  if (expires) session.expires = expires;
  return session;
}

/** `linkAccount`'s message: next-auth passes the profile; better-auth's hook has none, so the user. */
export function linkAccountMessage(user: AuthUser, account: Row): EventMessages["linkAccount"] {
  return { user, account: toAccount(account), profile: user };
}
