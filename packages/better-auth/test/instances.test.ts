// One plugin object in two betterAuth() instances, and the sign-in routes an app can override.
import type { EventName, Recipe } from "@auth-recipes/core";
import { betterAuth } from "better-auth";
import { memoryAdapter } from "better-auth/adapters/memory";
import { afterEach, describe, expect, it } from "vitest";
import { type AuthRecipesOptions, authRecipes } from "../src/index.ts";
import { type App, startApp } from "./helpers.ts";

interface Seen {
  event: EventName;
  message: Record<string, unknown>;
}

function recorder(events: readonly EventName[] = ["createUser", "signIn"]) {
  const seen: Seen[] = [];
  const handlers: Record<string, (message: Record<string, unknown>) => void> = {};
  for (const event of events) handlers[event] = (message) => void seen.push({ event, message });
  const recipe: Recipe = { name: "recorder", events: handlers };
  return { recipe, seen };
}

function instance(plugin: ReturnType<typeof authRecipes>, handler?: (p: Promise<unknown>) => void) {
  return betterAuth({
    baseURL: "http://127.0.0.1:3000",
    secret: "two-instances-test-secret-0123456789abcdef",
    telemetry: { enabled: false },
    logger: { disabled: true },
    database: memoryAdapter({ user: [], session: [], account: [], verification: [] }),
    emailAndPassword: {
      enabled: true,
      password: { hash: async (password) => `plain:${password}`, verify: async () => true },
    },
    ...(handler ? { advanced: { backgroundTasks: { handler } } } : {}),
    plugins: [plugin],
  });
}

describe("one plugin object in two betterAuth() instances", () => {
  it("each instance's hooks use its own adapter and its own background runner", async () => {
    const { recipe, seen } = recorder();
    const plugin = authRecipes([recipe], { onError: () => {} });
    const handedToA: Promise<unknown>[] = [];
    const a = instance(plugin, (promise) => void handedToA.push(promise));
    await a.$context;
    const b = instance(plugin);
    await b.$context;

    // B has no background runner: its hooks run the recipes before the sign-up returns, and A's
    // runner never sees B's work.
    const { user } = await b.api.signUpEmail({
      body: { email: "bob@example.test", password: "correct horse battery", name: "Bob" },
    });
    expect(handedToA).toHaveLength(0);
    expect(seen.map((s) => s.event)).toEqual(["createUser", "signIn"]);

    // A session A creates outside a request: its user is read back from A's database, not B's.
    seen.length = 0;
    const { user: ada } = await a.api.signUpEmail({
      body: { email: "ada@example.test", password: "correct horse battery", name: "Ada" },
    });
    await Promise.all(handedToA);
    seen.length = 0;
    const context = await a.$context;
    await context.internalAdapter.createSession(ada.id);
    await Promise.all(handedToA);
    expect(seen).toEqual([
      {
        event: "signIn",
        message: expect.objectContaining({
          user: expect.objectContaining({ id: ada.id, email: "ada@example.test", name: "Ada" }),
        }),
      },
    ]);
    expect(user.id).not.toBe(ada.id);
  });
});

describe("route overrides", () => {
  let app: App | undefined;
  afterEach(() => app?.close());

  async function signInAccount(routes: AuthRecipesOptions["routes"]) {
    const { recipe, seen } = recorder(["signIn"]);
    app = await startApp({ recipes: [recipe], compose: { routes }, database: "memory" });
    await app.signUp("alice@example.test");
    seen.length = 0;
    await app.signIn("alice@example.test");
    expect(seen).toHaveLength(1);
    return seen[0]?.message.account;
  }

  it("an overridden path reports its method; false removes a default one", async () => {
    expect(
      await signInAccount({ "/sign-in/email": { provider: "password", type: "credentials" } }),
    ).toMatchObject({ provider: "password", type: "credentials" });
    expect(await signInAccount({ "/sign-in/email": false })).toBeNull();
    // A prefix: every path under it.
    expect(
      await signInAccount({
        "/sign-in/email": false,
        "/sign-in/*": { provider: "any-sign-in", type: "credentials" },
      }),
    ).toMatchObject({ provider: "any-sign-in" });
  });

  it("refuses routes that are not paths to { provider, type } at configuration time", () => {
    for (const routes of [
      "nope",
      [],
      { "sign-in/email": { provider: "x", type: "y" } },
      { "/sign-in/email": { provider: "", type: "credentials" } },
      { "/sign-in/email": true },
    ]) {
      expect(() => authRecipes([], { routes: routes as never })).toThrow(
        /^\[auth-recipes\/better-auth\] option "routes"/,
      );
    }
  });
});
