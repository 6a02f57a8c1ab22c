// What better-auth really passes to each hook, and what the recipes receive: a recording recipe in a
// real better-auth instance (SQLite through better-sqlite3, migrated by better-auth), through its API.
import type { EventName, Recipe } from "@auth-recipes/core";
import { genericOAuth } from "better-auth/plugins/generic-oauth";
import { afterEach, describe, expect, it } from "vitest";
import { authRecipes } from "../src/index.ts";
import { type App, ORIGIN, startApp } from "./helpers.ts";
import { startOAuthProvider } from "./oauth-provider.ts";

interface Seen {
  event: EventName;
  message: Record<string, unknown>;
}

function recorder(
  events: readonly EventName[] = ["createUser", "updateUser", "linkAccount", "signIn", "signOut"],
) {
  const seen: Seen[] = [];
  const handlers: Record<string, (message: Record<string, unknown>) => void> = {};
  for (const event of events) handlers[event] = (message) => void seen.push({ event, message });
  const recipe: Recipe = { name: "recorder", events: handlers };
  return { recipe, seen };
}

// OAuth tokens, the session token's column, the password's column or its (sha256 or scrypt) hash.
const secretPattern = /fixture-access-token|password|"token"|idToken|[0-9a-f]{64}/i;

let app: App | undefined;
afterEach(() => app?.close());

describe("messages under better-auth, in next-auth's shapes", () => {
  it("email sign-up: createUser then signIn with isNewUser, no linkAccount for the credential account", async () => {
    const { recipe, seen } = recorder();
    app = await startApp({ recipes: [recipe] });
    const { userId } = await app.signUp("alice@example.test");
    expect(seen.map((s) => s.event)).toEqual(["createUser", "signIn"]);
    expect(seen[0]?.message).toEqual({
      user: expect.objectContaining({
        id: userId,
        name: "Alice Liddell",
        email: "alice@example.test",
        image: null,
        emailVerified: null,
      }),
    });
    expect(seen[1]?.message).toEqual({
      user: expect.objectContaining({ id: userId, email: "alice@example.test" }),
      account: { provider: "credential", type: "credentials", providerAccountId: userId, userId },
      isNewUser: true,
    });
    expect(JSON.stringify(seen)).not.toMatch(secretPattern);
  });

  it("email sign-in: signIn with isNewUser false, the user read back from the database", async () => {
    const { recipe, seen } = recorder();
    app = await startApp({ recipes: [recipe] });
    const { userId } = await app.signUp("alice@example.test");
    seen.length = 0;
    await app.signIn("alice@example.test");
    expect(seen).toEqual([
      {
        event: "signIn",
        message: {
          user: expect.objectContaining({ id: userId, name: "Alice Liddell", emailVerified: null }),
          account: expect.objectContaining({ provider: "credential", type: "credentials" }),
          isNewUser: false,
        },
      },
    ]);
  });

  it("updateUser and signOut: the updated user, and the session without its token", async () => {
    const { recipe, seen } = recorder();
    app = await startApp({ recipes: [recipe] });
    const { userId, headers } = await app.signUp("alice@example.test");
    seen.length = 0;
    await app.auth.api.updateUser({ body: { name: "Alice Pleasance" }, headers });
    await app.auth.api.signOut({ headers });
    expect(seen.map((s) => s.event)).toEqual(["updateUser", "signOut"]);
    expect(seen[0]?.message).toEqual({
      user: expect.objectContaining({ id: userId, name: "Alice Pleasance" }),
    });
    expect(seen[1]?.message).toEqual({ session: { userId, expires: expect.any(Date) } });
    expect(JSON.stringify(seen)).not.toMatch(secretPattern);
  });

  it("social sign-up: createUser (email verified as a Date), linkAccount and signIn, with no OAuth token", async () => {
    const { recipe, seen } = recorder();
    app = await startApp({ recipes: [recipe] });
    const { userId } = await app.signInSocial("bob");
    expect(seen.map((s) => s.event)).toEqual(["createUser", "linkAccount", "signIn"]);
    const user = seen[0]?.message.user as Record<string, unknown>;
    expect(user).toMatchObject({ id: userId, name: "Bob Social", email: "bob@example.test" });
    expect(user.emailVerified).toBeInstanceOf(Date);
    const account = { provider: "github", type: "oauth", providerAccountId: "github-bob", userId };
    expect(seen[1]?.message).toEqual({
      user: expect.objectContaining({ id: userId }),
      account,
      profile: expect.objectContaining({ id: userId }),
    });
    expect(seen[2]?.message).toEqual({
      user: expect.objectContaining({ id: userId }),
      account,
      isNewUser: true,
    });
    expect(JSON.stringify(seen)).not.toMatch(secretPattern);

    seen.length = 0;
    await app.signInSocial("bob");
    expect(seen).toEqual([
      {
        event: "signIn",
        message: { user: expect.objectContaining({ id: userId }), account, isNewUser: false },
      },
    ]);
  });

  it("linking a social account to a signed-in user: linkAccount only", async () => {
    const { recipe, seen } = recorder();
    app = await startApp({ recipes: [recipe] });
    const { userId, headers } = await app.signUp("carol@example.test", "Carol");
    seen.length = 0;
    await app.auth.api.linkSocialAccount({
      body: {
        provider: "github",
        idToken: { token: "carol", accessToken: "gho_fixture-access-token-c" },
      },
      headers,
    });
    expect(seen).toEqual([
      {
        event: "linkAccount",
        message: {
          user: expect.objectContaining({ id: userId, name: "Carol", email: "carol@example.test" }),
          account: { provider: "github", type: "oauth", providerAccountId: "github-carol", userId },
          profile: expect.objectContaining({ id: userId }),
        },
      },
    ]);
  });
});

describe("a real OAuth authorization-code flow (a local provider on 127.0.0.1)", () => {
  it("sign-up, then sign-in, through /callback/:id: the provider and account in signIn, no token", async () => {
    const provider = await startOAuthProvider();
    try {
      const { recipe, seen } = recorder();
      app = await startApp({
        recipes: [recipe],
        auth: {
          plugins: [
            genericOAuth({
              config: [
                {
                  providerId: "local",
                  clientId: "local-client",
                  clientSecret: "local-secret",
                  authorizationUrl: `${provider.url}/authorize`,
                  tokenUrl: `${provider.url}/token`,
                  userInfoUrl: `${provider.url}/userinfo`,
                  scopes: ["openid", "email", "profile"],
                },
              ],
            }),
          ],
        },
      });
      provider.signInAs({ sub: "local-dora", email: "dora@example.test", name: "Dora Explorer" });
      const json = { origin: ORIGIN, "content-type": "application/json" };
      const signIn = async () => {
        const start = await app!.auth.handler(
          new Request(`${ORIGIN}/api/auth/sign-in/social`, {
            method: "POST",
            headers: json,
            body: JSON.stringify({ provider: "local", callbackURL: "/welcome" }),
          }),
        );
        const { url } = (await start.json()) as { url: string };
        const cookie = start.headers
          .getSetCookie()
          .map((line) => line.split(";")[0])
          .join("; ");
        const authorized = await fetch(url, { redirect: "manual" });
        const callback = authorized.headers.get("location") ?? "";
        expect(new URL(callback).pathname).toBe("/api/auth/callback/local");
        const done = await app!.auth.handler(new Request(callback, { headers: { cookie } }));
        expect(done.status).toBe(302);
      };
      await signIn();
      expect(provider.accessTokens).toHaveLength(1);

      expect(seen.map((s) => s.event)).toEqual(["createUser", "linkAccount", "signIn"]);
      const user = seen[0]?.message.user as Record<string, unknown>;
      expect(user).toMatchObject({ name: "Dora Explorer", email: "dora@example.test" });
      const account = {
        provider: "local",
        type: "oauth",
        providerAccountId: "local-dora",
        userId: user.id,
        scope: expect.stringContaining("email"),
      };
      expect(seen[1]?.message.account).toEqual(account);
      expect(seen[2]?.message).toEqual({
        user: expect.objectContaining({ id: user.id }),
        account,
        isNewUser: true,
      });
      const everything = JSON.stringify(seen);
      expect(everything).not.toMatch(secretPattern);
      expect(everything).not.toContain("fixture-refresh-token");

      // Signing in again: the callback's path names the provider, the account is read back by it.
      seen.length = 0;
      await signIn();
      expect(seen).toEqual([
        {
          event: "signIn",
          message: { user: expect.objectContaining({ id: user.id }), account, isNewUser: false },
        },
      ]);
    } finally {
      await provider.close();
    }
  });
});

describe("the plugin", () => {
  it("refuses a delayed recipe at configuration time, saying to put it in enqueueRecipes", () => {
    const tips = { ...recorder(["createUser"]).recipe, name: "tips-email", delayMs: 30_000 };
    expect(() => authRecipes([tips])).toThrow(
      /^\[auth-recipes\/better-auth\] recipe "tips-email" is delayed \(delayMs: 30000\).*enqueueRecipes/,
    );
  });

  it("is better-auth's plugin with the id auth-recipes, registering only the hooks its recipes need", async () => {
    const only = (events: EventName[]) => {
      const plugin = authRecipes([recorder(events).recipe]);
      const init = plugin.init?.({ options: {} } as never) as {
        options: { databaseHooks: object };
      };
      const hooks = init.options.databaseHooks as Record<string, Record<string, object>>;
      return Object.entries(hooks).flatMap(([model, ops]) =>
        Object.keys(ops).map((op) => `${model}.${op}`),
      );
    };
    expect(authRecipes([]).id).toBe("auth-recipes");
    expect(only(["createUser"])).toEqual(["user.create"]);
    expect(only(["updateUser"])).toEqual(["user.update"]);
    expect(only(["signOut"])).toEqual(["session.delete"]);
    // A sign-in needs the user and account hooks too: that is how it knows it follows a sign-up.
    expect(only(["signIn"])).toEqual(["user.create", "account.create", "session.create"]);
    expect(only([])).toEqual([]);
  });

  it("throws at configuration time what composeEvents throws", () => {
    expect(() => authRecipes([{ name: "x", events: { createdUser: () => {} } as never }])).toThrow(
      /unknown event "createdUser"/,
    );
    expect(() => authRecipes([], { timeoutMs: -1 })).toThrow(RangeError);
    expect(() => authRecipes([], { waitUntil: "soon" as never })).toThrow(/"waitUntil"/);
  });
});
