// A queued message sits in Redis for as long as its job is kept, readable by anyone with access to it,
// and is copied into backups. So only what recipes read is stored: an allow-list, not a deny-list, since
// no list of names can know every spelling of a credential (`access_token`, `accessToken`,
// `session_state`, a credentials user's `password`, a token nested in a profile). An app whose own recipe
// reads another field names it in `storedFields`.

import { configError } from "@auth-recipes/core/kit";

const USER = ["id", "email", "name", "image", "emailVerified"];

/**
 * The fields stored by default, by path: the user's identity, the account's provider, type and provider
 * account id, `isNewUser`, a JWT's identity claims, a session's user, user id and expiry. Each keeps a
 * plain value only (a string, number, boolean, `null` or Date): an identity field holding an object
 * holds something else.
 */
export const STORED_FIELDS: readonly string[] = [
  ...USER.map((field) => `user.${field}`),
  "account.provider",
  "account.type",
  "account.providerAccountId",
  "isNewUser",
  "token.sub",
  "token.email",
  "token.name",
  "token.picture",
  "session.userId",
  "session.expires",
  ...USER.map((field) => `session.user.${field}`),
];

// Split once: the allow-list is walked on every enqueue.
const STORED_PATHS: readonly (readonly string[])[] = STORED_FIELDS.map((path) => path.split("."));

// A path's parts are own field names; these would reach a prototype instead.
const FORBIDDEN = new Set(["__proto__", "prototype", "constructor"]);

/**
 * Validates the `storedFields` option: dotted field names (`"user.role"`, `"profile.locale"`).
 * @internal
 */
export function checkStoredFields(pkg: string, value: unknown): readonly string[] {
  if (value === undefined) return [];
  const valid =
    Array.isArray(value) &&
    value.every(
      (path) =>
        typeof path === "string" &&
        path.split(".").every((part) => part !== "" && !FORBIDDEN.has(part)),
    );
  if (!valid) {
    throw configError(
      pkg,
      'option "storedFields" must be an array of dotted field names, such as ["user.role", "profile.locale"]',
    );
  }
  return [...value];
}

/**
 * The `storedFields` option split into paths once, at configuration time, for {@link withoutSecrets}.
 * @internal
 */
export function storedPaths(fields: readonly string[]): readonly (readonly string[])[] {
  return fields.map((path) => path.split("."));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isPlain(value: unknown): boolean {
  return (
    value === null ||
    value instanceof Date ||
    typeof value === "string" ||
    typeof value === "number" ||
    typeof value === "boolean"
  );
}

/** Copies `path` of `source` into `target` when every step is an own field; `any` keeps any value. */
function copyPath(
  source: Record<string, unknown>,
  target: Record<string, unknown>,
  path: readonly string[],
  any: boolean,
): void {
  let from: unknown = source;
  let to = target;
  // An index loop, not entries(): no iterator and no pair allocated per step, on every enqueue.
  for (let index = 0; index < path.length; index++) {
    const key = path[index] as string;
    if (!isObject(from) || !Object.hasOwn(from, key)) return;
    const value: unknown = from[key];
    if (index === path.length - 1) {
      if (any || isPlain(value)) to[key] = value;
      return;
    }
    if (!isObject(value)) return;
    if (!isObject(to[key])) to[key] = {};
    to = to[key] as Record<string, unknown>;
    from = value;
  }
}

/**
 * A copy of an event's message holding only what recipes read ({@link STORED_FIELDS}: the user's `id`,
 * `email`, `name`, `image` and `emailVerified`, the account's `provider`, `type` and `providerAccountId`,
 * `isNewUser`, a JWT's `sub`, `email`, `name` and `picture`, a session's `userId`, `expires` and user),
 * plus the fields named in `storedFields`, kept whatever they hold. No token, password or other credential
 * is stored, whatever it is called or how deep it sits. The message itself is not changed. A field whose
 * reading throws makes this throw.
 *
 * @example
 * ```ts
 * withoutSecrets({ user, account, profile }, ["profile.locale"]); // { user: {…identity}, account: {…}, profile: { locale } }
 * ```
 */
export function withoutSecrets(message: unknown, storedFields: readonly string[] = []): unknown {
  return allowedCopy(message, storedPaths(storedFields));
}

/**
 * {@link withoutSecrets} with the `storedFields` already split ({@link storedPaths}): the enqueue's form,
 * which splits nothing per message.
 * @internal
 */
export function allowedCopy(message: unknown, extra: readonly (readonly string[])[]): unknown {
  if (!isObject(message)) return message;
  const copy: Record<string, unknown> = {};
  for (const path of STORED_PATHS) copyPath(message, copy, path, false);
  for (const path of extra) copyPath(message, copy, path, true);
  return copy;
}
