// A queued message sits in Redis for as long as its job is kept, readable by anyone with access to it,
// and is copied into backups. Recipes never need the credentials next-auth hands to events, so they are
// removed before the message is stored; what remains is what recipes read (user, account's provider and
// ids, profile, session expiry, the JWT's identity).

// OAuth 2 access, refresh and id tokens, OAuth 1's token and token secret: any `*_token` or `*_secret`
// field of an account, but not `token_type`, which names a kind of token and holds none.
const ACCOUNT_SECRET = /(^|_)(token|secret)$/i;

/** The JWT claims a recipe may read: the user's identity. */
const TOKEN_IDENTITY = ["sub", "email", "name", "picture"] as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A copy of an event's message without its secrets: an account's access, refresh and id tokens (and
 * other `*_token`/`*_secret` fields), a session's `sessionToken`, and every JWT claim other than `sub`,
 * `email`, `name` and `picture`. The message itself is not changed.
 */
export function withoutSecrets(message: unknown): unknown {
  if (!isObject(message)) return message;
  const copy: Record<string, unknown> = { ...message };
  if (isObject(copy.account)) {
    copy.account = Object.fromEntries(
      Object.entries(copy.account).filter(([key]) => !ACCOUNT_SECRET.test(key)),
    );
  }
  if (isObject(copy.session) && "sessionToken" in copy.session) {
    const { sessionToken: _, ...session } = copy.session;
    copy.session = session;
  }
  if (isObject(copy.token)) {
    const token = copy.token;
    copy.token = Object.fromEntries(
      TOKEN_IDENTITY.filter((claim) => claim in token).map((claim) => [claim, token[claim]]),
    );
  }
  return copy;
}
