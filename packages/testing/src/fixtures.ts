import type { EventMessages, EventName } from "@auth-recipes/core";

/**
 * A user as next-auth v4 passes it to events with a database adapter (its `AdapterUser`): an id, an email
 * (or `null`), a name and an image (or `null`), and when the email was verified.
 */
export interface FixtureUser {
  id: string;
  name: string | null;
  email: string | null;
  image: string | null;
  emailVerified: Date | null;
}

/** An OAuth account as next-auth v4 passes it to `signIn` and `linkAccount`: tokens included. */
export interface FixtureOAuthAccount {
  provider: string;
  type: "oauth";
  providerAccountId: string;
  /** A fake token: contains one of {@link TOKEN_MARKERS}. */
  access_token: string;
  /** A fake token: contains one of {@link TOKEN_MARKERS}. */
  refresh_token: string;
  /** A fake token: contains one of {@link TOKEN_MARKERS}. */
  id_token: string;
  token_type: Lowercase<string>;
  scope: string;
  expires_at: number;
  /** next-auth's `Account` takes any other (JSON) field the provider returns. */
  [field: string]: string | number | boolean | null | undefined;
}

/**
 * The profile next-auth v4 passes with an OAuth account: the provider's `profile()` result, a user whose
 * name, email and image can be `null` (v4 types it as the provider's raw `Profile`, which it is not).
 */
export interface FixtureProfile {
  id: string;
  name: string | null;
  email: string | null;
  image: string | null;
}

/** A decoded next-auth v4 JWT, as `signOut` and `session` receive it with the JWT strategy. */
export interface FixtureToken {
  name: string | null;
  email: string | null;
  picture: string | null;
  /** The user's id. */
  sub: string;
  iat: number;
  exp: number;
  jti: string;
  [claim: string]: unknown;
}

/** The adapter's session row, as `signOut` receives it with the database strategy. */
export interface FixtureSessionRow {
  /** A fake token: contains one of {@link TOKEN_MARKERS}. */
  sessionToken: string;
  userId: string;
  expires: Date;
}

/** The session object the `session` event receives (next-auth's default `session` callback result). */
export interface FixtureSession {
  user: { name: string | null; email: string | null; image: string | null };
  /** An ISO date. */
  expires: string;
}

/**
 * Substrings that every fake token in these fixtures contains (OAuth access, refresh and id tokens, the
 * database session token). Search what a service received for each: none may appear.
 *
 * @example
 * ```ts
 * for (const marker of TOKEN_MARKERS) expect(JSON.stringify(segment.requests)).not.toContain(marker);
 * ```
 */
export const TOKEN_MARKERS: readonly string[] = [
  "fixture-access-token",
  "fixture-refresh-token",
  "fixture-id-token",
  "fixture-session-token",
];

// Fixed instants, so that messages (and what recipes derive from them) are the same on every run.
const VERIFIED_AT = "2026-01-02T03:04:05.000Z";
const ISSUED_AT = 1_767_323_045; // VERIFIED_AT in seconds
const EXPIRES_AT = "2026-02-01T03:04:05.000Z";

function user(
  id: string,
  name: string | null,
  email: string | null,
  image: string | null = null,
): FixtureUser {
  return { id, name, email, image, emailVerified: null };
}

/**
 * Ordinary users, each with an id and (but for `noEmail`) an `@example.test` address. Builders copy them,
 * so a test that changes a message never changes these.
 */
export const users: {
  /** A user with a name, an email and no image. */
  alice: FixtureUser;
  /** A user with a name, an email and an image. */
  bob: FixtureUser;
  /** A user with an email and no name (an email sign-up). */
  noName: FixtureUser;
  /** A user with a name and no email (an OAuth provider that hides it). */
  noEmail: FixtureUser;
} = {
  alice: user("user_alice", "Alice Liddell", "alice@example.test"),
  bob: user("user_bob", "Bob Builder", "bob@example.test", "https://avatars.example.test/bob.png"),
  noName: user("user_noname", null, "noname@example.test"),
  noEmail: user("user_noemail", "Nemo Private", null),
};

/** The users in {@link hostileUsers}, by what each one attacks. */
export interface HostileUsers {
  /** HTML with an event handler and a link in the name. */
  htmlName: FixtureUser;
  /** A script element as the name. */
  scriptName: FixtureUser;
  /** Slack's `<!channel>` mention in the name: must ping nobody. */
  slackChannelMention: FixtureUser;
  /** Slack's `<!here>` mention as the name. */
  slackHereMention: FixtureUser;
  /** Slack user, channel and link syntax (`<@U123>`, `<#C123>`, `<url|text>`) in the name. */
  slackUserMention: FixtureUser;
  /** Slack mrkdwn and Markdown formatting in the name. */
  markdownName: FixtureUser;
  /** Quotes and a backslash that break naively built JSON or SQL. */
  quotesName: FixtureUser;
  /** CR/LF and a `Bcc:` header in the name (header injection). */
  crlfName: FixtureUser;
  /** A name of 10,000 characters. */
  longName: FixtureUser;
  /** Emoji, a skin-tone ZWJ sequence and a flag in the name. */
  emojiName: FixtureUser;
  /** A right-to-left override and RTL scripts in the name. */
  rtlName: FixtureUser;
  /** CR/LF and a `Bcc:` header in the email: nodemailer would send to the attacker only. */
  crlfEmail: FixtureUser;
  /** A space inside the email: nodemailer would send to `user@ex`. */
  spaceEmail: FixtureUser;
  /** Two addresses in the email field. */
  twoEmails: FixtureUser;
  /** No email (`null`). */
  noEmail: FixtureUser;
  /** No name (`null`). */
  noName: FixtureUser;
}

/**
 * Users built to break what a recipe does with their fields: markup and mentions in names, header
 * injection, huge and unusual text, and email fields that are not one address. Each has a distinct id;
 * those whose email is not the hostile part have an `@example.test` address. Iterate with
 * `Object.entries(hostileUsers)`.
 */
export const hostileUsers: Readonly<HostileUsers> = {
  htmlName: user(
    "user_hostile_html",
    '<b>Bold</b> <img src=x onerror="alert(1)"> <a href="https://evil.example.test">click</a>',
    "html@example.test",
  ),
  scriptName: user("user_hostile_script", "<script>alert('xss')</script>", "script@example.test"),
  slackChannelMention: user(
    "user_hostile_channel",
    "<!channel> everyone look",
    "channel@example.test",
  ),
  slackHereMention: user("user_hostile_here", "<!here|here>", "here@example.test"),
  slackUserMention: user(
    "user_hostile_mention",
    "<@U123> <#C123> <https://evil.example.test|your bank>",
    "mention@example.test",
  ),
  markdownName: user(
    "user_hostile_markdown",
    "*bold* _italic_ ~strike~ `code` [link](https://evil.example.test)",
    "markdown@example.test",
  ),
  quotesName: user(
    "user_hostile_quotes",
    `O'Brien "Bobby" \\ Tables"}, {"admin": true`,
    "quotes@example.test",
  ),
  crlfName: user(
    "user_hostile_crlf_name",
    "Eve\r\nBcc: attacker@evil.example.test\r\n\r\nInjected body",
    "crlfname@example.test",
  ),
  longName: user("user_hostile_long", "Ada ".repeat(2_500), "long@example.test"),
  emojiName: user("user_hostile_emoji", "👩🏽‍💻 Zoë 🎉🇺🇦", "emoji@example.test"),
  rtlName: user("user_hostile_rtl", "\u202Egnp.exe مرحبا שלום", "rtl@example.test"),
  crlfEmail: user(
    "user_hostile_crlf_email",
    "Mallory",
    "crlf@example.test\r\nBcc: attacker@evil.example.test",
  ),
  spaceEmail: user("user_hostile_space_email", "Spacey", "user@ex ample.test"),
  twoEmails: user("user_hostile_two_emails", "Twice", "first@example.test, second@example.test"),
  noEmail: user("user_hostile_no_email", "Nobody Mailable", null),
  noName: user("user_hostile_no_name", null, "nameless@example.test"),
};

function copy(u: FixtureUser): FixtureUser {
  return { ...u };
}

function profileOf(u: FixtureUser): FixtureProfile {
  return { id: `gh_${u.id}`, name: u.name, email: u.email, image: u.image };
}

function oauthAccount(u: FixtureUser): FixtureOAuthAccount {
  return {
    provider: "github",
    type: "oauth",
    providerAccountId: `gh_${u.id}`,
    access_token: `gho_fixture-access-token-${u.id}`,
    refresh_token: `ghr_fixture-refresh-token-${u.id}`,
    id_token: `fixture-id-token.${u.id}.signature`,
    token_type: "bearer",
    scope: "read:user,user:email",
    expires_at: ISSUED_AT + 28_800,
  };
}

function tokenOf(u: FixtureUser): FixtureToken {
  return {
    name: u.name,
    email: u.email,
    picture: u.image,
    sub: u.id,
    iat: ISSUED_AT,
    exp: ISSUED_AT + 2_592_000,
    jti: `jti-${u.id}`,
  };
}

/**
 * Builders of the messages next-auth v4 sends with each event, in its exact shapes (with a database
 * adapter where the event needs one). Each takes a user (default `users.alice`) and returns a fresh object.
 */
export const events: {
  /** `createUser`: `{ user }`, the adapter's new user. */
  createUser(user?: FixtureUser): { user: FixtureUser };
  /** `updateUser`: `{ user }`, fired when an existing user signs in by email link (email now verified). */
  updateUser(user?: FixtureUser): { user: FixtureUser };
  /**
   * `signIn` through OAuth: `{ user, account, profile, isNewUser }`; the account carries fake access,
   * refresh and id tokens. `isNewUser` defaults to `true` (a sign-up).
   */
  signInOAuth(
    user?: FixtureUser,
    options?: { isNewUser?: boolean },
  ): {
    user: FixtureUser;
    account: FixtureOAuthAccount;
    profile: FixtureProfile;
    isNewUser: boolean;
  };
  /** `signIn` through an email link: `{ user, account, isNewUser }`, no profile. `isNewUser` defaults to `false`. */
  signInEmail(
    user?: FixtureUser,
    options?: { isNewUser?: boolean },
  ): {
    user: FixtureUser;
    account: { providerAccountId: string; type: "email"; provider: string };
    isNewUser: boolean;
  };
  /** `signIn` through credentials: `{ user, account }`: no `isNewUser`, and no adapter user. */
  signInCredentials(user?: FixtureUser): {
    user: { id: string; name: string | null; email: string | null };
    account: { providerAccountId: string; type: "credentials"; provider: string };
  };
  /** `signOut` with the database strategy: `{ session }`, the deleted session row. */
  signOutWithSession(user?: FixtureUser): { session: FixtureSessionRow };
  /** `signOut` with the JWT strategy: `{ token }`, the decoded JWT (`sub` is the user id). */
  signOutWithToken(user?: FixtureUser): { token: FixtureToken };
  /** `linkAccount`: `{ user, account, profile }` when an OAuth account is linked to the user. */
  linkAccount(user?: FixtureUser): {
    user: FixtureUser;
    account: FixtureOAuthAccount;
    profile: FixtureProfile;
  };
  /** `session` with the JWT strategy: `{ session, token }`. */
  session(user?: FixtureUser): { session: FixtureSession; token: FixtureToken };
  /** `session` with the database strategy: `{ session }` only. */
  sessionWithDatabase(user?: FixtureUser): { session: FixtureSession };
} = {
  createUser: (u = users.alice) => ({ user: copy(u) }),
  updateUser: (u = users.alice) => ({ user: { ...u, emailVerified: new Date(VERIFIED_AT) } }),
  signInOAuth: (u = users.alice, { isNewUser = true } = {}) => ({
    user: copy(u),
    account: oauthAccount(u),
    profile: profileOf(u),
    isNewUser,
  }),
  signInEmail: (u = users.alice, { isNewUser = false } = {}) => ({
    user: { ...u, emailVerified: new Date(VERIFIED_AT) },
    account: { providerAccountId: u.email ?? "", type: "email", provider: "email" },
    isNewUser,
  }),
  signInCredentials: (u = users.alice) => ({
    user: { id: u.id, name: u.name, email: u.email },
    account: { providerAccountId: u.id, type: "credentials", provider: "credentials" },
  }),
  signOutWithSession: (u = users.alice) => ({
    session: {
      sessionToken: `fixture-session-token-${u.id}`,
      userId: u.id,
      expires: new Date(EXPIRES_AT),
    },
  }),
  signOutWithToken: (u = users.alice) => ({ token: tokenOf(u) }),
  linkAccount: (u = users.alice) => ({
    user: copy(u),
    account: oauthAccount(u),
    profile: profileOf(u),
  }),
  session: (u = users.alice) => ({
    session: { user: { name: u.name, email: u.email, image: u.image }, expires: EXPIRES_AT },
    token: tokenOf(u),
  }),
  sessionWithDatabase: (u = users.alice) => ({
    session: { user: { name: u.name, email: u.email, image: u.image }, expires: EXPIRES_AT },
  }),
};

/**
 * The message next-auth v4 sends for an event, for a user (default `users.alice`): `signIn` is an OAuth
 * sign-up (tokens included), `signOut` and `session` use the JWT strategy.
 *
 * @example
 * ```ts
 * await composed.createUser!(defaultMessage("createUser", hostileUsers.crlfEmail));
 * ```
 */
export function defaultMessage<E extends EventName>(event: E, user?: FixtureUser): EventMessages[E];
export function defaultMessage(event: EventName, u: FixtureUser = users.alice): unknown {
  switch (event) {
    case "signIn":
      return events.signInOAuth(u);
    case "signOut":
      return events.signOutWithToken(u);
    case "createUser":
      return events.createUser(u);
    case "updateUser":
      return events.updateUser(u);
    case "linkAccount":
      return events.linkAccount(u);
    case "session":
      return events.session(u);
    default:
      throw new TypeError(`[auth-recipes/testing] unknown event ${JSON.stringify(event)}`);
  }
}

/** Calls `visit` on every string inside a value (objects, arrays; cycles are skipped). */
function eachString(value: unknown, visit: (text: string) => void, seen = new Set<object>()): void {
  if (typeof value === "string") visit(value);
  else if (typeof value === "object" && value !== null && !seen.has(value)) {
    seen.add(value);
    for (const item of Object.values(value)) eachString(item, visit, seen);
  }
}

/**
 * The fake token strings inside the given messages (or any values): every string that contains one of
 * {@link TOKEN_MARKERS}. Assert that none of them reached a service or an error message.
 */
export function secretsOf(...values: unknown[]): string[] {
  const found = new Set<string>();
  eachString(values, (text) => {
    if (TOKEN_MARKERS.some((marker) => text.includes(marker))) found.add(text);
  });
  return [...found];
}

const ADDRESS = /[^\s,;<>"'()[\]:]+@[^\s,;<>"'()[\]:]+/g;

/**
 * Every email address inside the given messages (or any values), hostile fields split into the
 * addresses they hold, so a test can assert that none appears in an error message or a log line.
 */
export function emailsOf(...values: unknown[]): string[] {
  const found = new Set<string>();
  eachString(values, (text) => {
    for (const [address] of text.matchAll(ADDRESS)) found.add(address);
  });
  return [...found];
}
