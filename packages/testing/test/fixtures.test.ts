import { describe, expect, it } from "vitest";
import {
  defaultMessage,
  emailsOf,
  events,
  hostileUsers,
  secretsOf,
  TOKEN_MARKERS,
  users,
} from "../src/index.ts";

describe("users", () => {
  it("have ids and @example.test addresses, and one has no name and one no email", () => {
    for (const user of Object.values(users)) {
      expect(user.id).toMatch(/^user_/);
      if (user.email !== null) expect(user.email).toMatch(/^[a-z]+@example\.test$/);
    }
    expect(users.noName.name).toBeNull();
    expect(users.noEmail.email).toBeNull();
    expect(new Set(Object.values(users).map((user) => user.id)).size).toBe(4);
  });
});

describe("events", () => {
  it("build next-auth v4's OAuth sign-up: user, account with tokens, profile, isNewUser", () => {
    const message = events.signInOAuth();
    expect(message).toEqual({
      user: { ...users.alice },
      account: {
        provider: "github",
        type: "oauth",
        providerAccountId: "gh_user_alice",
        access_token: expect.stringContaining("fixture-access-token"),
        refresh_token: expect.stringContaining("fixture-refresh-token"),
        id_token: expect.stringContaining("fixture-id-token"),
        token_type: "bearer",
        scope: "read:user,user:email",
        expires_at: expect.any(Number),
      },
      profile: {
        id: "gh_user_alice",
        name: "Alice Liddell",
        email: "alice@example.test",
        image: null,
      },
      isNewUser: true,
    });
    expect(events.signInOAuth(users.bob, { isNewUser: false }).isNewUser).toBe(false);
  });

  it("build the email and credentials sign-ins the way next-auth v4 does (no profile; no isNewUser)", () => {
    const email = events.signInEmail(users.bob);
    expect(Object.keys(email)).toEqual(["user", "account", "isNewUser"]);
    expect(email.account).toEqual({
      providerAccountId: "bob@example.test",
      type: "email",
      provider: "email",
    });
    expect(email.user.emailVerified).toBeInstanceOf(Date);
    const credentials = events.signInCredentials(users.bob);
    expect(Object.keys(credentials)).toEqual(["user", "account"]);
    expect(credentials.account).toEqual({
      providerAccountId: "user_bob",
      type: "credentials",
      provider: "credentials",
    });
  });

  it("build signOut with a session row or a token, session with and without a token", () => {
    const row = events.signOutWithSession(users.bob).session;
    expect(row).toEqual({
      sessionToken: expect.stringContaining("fixture-session-token"),
      userId: "user_bob",
      expires: expect.any(Date),
    });
    const { token } = events.signOutWithToken(users.bob);
    expect(token).toMatchObject({
      sub: "user_bob",
      email: "bob@example.test",
      name: "Bob Builder",
      picture: users.bob.image,
    });
    expect(events.session(users.bob)).toEqual({
      session: {
        user: { name: "Bob Builder", email: "bob@example.test", image: users.bob.image },
        expires: expect.any(String),
      },
      token,
    });
    expect(Object.keys(events.sessionWithDatabase())).toEqual(["session"]);
  });

  it("build createUser, updateUser and linkAccount, each a fresh copy", () => {
    const created = events.createUser();
    created.user.name = "changed";
    expect(users.alice.name).toBe("Alice Liddell");
    expect(events.createUser().user).toEqual(users.alice);
    expect(events.updateUser().user.emailVerified).toBeInstanceOf(Date);
    expect(events.linkAccount(users.noEmail)).toMatchObject({
      user: users.noEmail,
      account: { type: "oauth", providerAccountId: "gh_user_noemail" },
      profile: { email: null },
    });
  });
});

describe("defaultMessage", () => {
  it("is an OAuth sign-up for signIn, the JWT strategy for signOut and session", () => {
    expect(defaultMessage("signIn", users.bob)).toEqual(events.signInOAuth(users.bob));
    expect(defaultMessage("signOut")).toEqual(events.signOutWithToken());
    expect(defaultMessage("session")).toEqual(events.session());
    expect(defaultMessage("createUser", hostileUsers.crlfEmail)).toEqual({
      user: hostileUsers.crlfEmail,
    });
    expect(defaultMessage("updateUser")).toEqual(events.updateUser());
    expect(defaultMessage("linkAccount")).toEqual(events.linkAccount());
    expect(() => defaultMessage("createdUser" as "createUser")).toThrow(TypeError);
  });
});

describe("hostileUsers", () => {
  it("cover markup, Slack mentions, CR/LF, 10,000 characters, emoji, RTL and broken emails", () => {
    const names = Object.values(hostileUsers).map((user) => user.name ?? "");
    const has = (pattern: RegExp) => names.some((name) => pattern.test(name));
    expect(has(/<script>/)).toBe(true);
    expect(has(/<img [^>]*onerror/)).toBe(true);
    for (const mention of ["<!channel>", "<!here", "<@U123>"]) {
      expect(names.some((name) => name.includes(mention))).toBe(true);
    }
    expect(has(/\r\n/)).toBe(true);
    expect(hostileUsers.longName.name).toHaveLength(10_000);
    expect(has(/\p{Extended_Pictographic}/u)).toBe(true);
    expect(has(/\u202E/)).toBe(true);
    expect(hostileUsers.crlfEmail.email).toContain("\r\nBcc:");
    expect(hostileUsers.spaceEmail.email).toContain(" ");
    expect(hostileUsers.twoEmails.email?.match(/@/g)).toHaveLength(2);
    expect(hostileUsers.noEmail.email).toBeNull();
    expect(hostileUsers.noName.name).toBeNull();
    const ids = Object.values(hostileUsers).map((user) => user.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe("secretsOf and emailsOf", () => {
  it("find every fake token in messages, and nothing in messages without any", () => {
    const oauth = events.signInOAuth();
    expect(secretsOf(oauth).sort()).toEqual(
      [oauth.account.access_token, oauth.account.refresh_token, oauth.account.id_token].sort(),
    );
    expect(secretsOf(events.signOutWithSession())).toEqual([
      expect.stringContaining("fixture-session-token"),
    ]);
    expect(secretsOf(events.createUser(), events.signOutWithToken())).toEqual([]);
    for (const secret of secretsOf(oauth, events.linkAccount(users.bob))) {
      expect(TOKEN_MARKERS.some((marker) => secret.includes(marker))).toBe(true);
    }
  });

  it("find every address, hostile fields split into the addresses they hold", () => {
    expect(emailsOf(events.signOutWithToken())).toEqual(["alice@example.test"]);
    expect(emailsOf(events.createUser(hostileUsers.crlfEmail)).sort()).toEqual([
      "attacker@evil.example.test",
      "crlf@example.test",
    ]);
    expect(emailsOf(events.createUser(hostileUsers.twoEmails))).toEqual([
      "first@example.test",
      "second@example.test",
    ]);
    expect(emailsOf(events.createUser(users.noEmail))).toEqual([]);
  });
});
