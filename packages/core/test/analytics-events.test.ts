import { describe, expect, it } from "vitest";
import { isSkip } from "../src/index.ts";
import { ANALYTICS_EVENTS, analyticsMapping, chosenEvents } from "../src/kit/index.ts";

const DEFAULTS = {
  createUser: "Signed Up",
  signIn: "Signed In",
  signOut: "Signed Out",
  linkAccount: "Account Linked",
};
const user = { id: "u1", email: "ada@example.com", name: "Ada" };

describe("chosenEvents: the `on` option", () => {
  it("gives the default for undefined, and each chosen event once", () => {
    expect(chosenEvents("x", undefined, ["createUser", "updateUser"])).toEqual([
      "createUser",
      "updateUser",
    ]);
    expect(chosenEvents("x", undefined, ["createUser", "signIn"], ["createUser"])).toEqual([
      "createUser",
    ]);
    expect(chosenEvents("x", ["signIn", "signIn"], ["createUser", "signIn"])).toEqual(["signIn"]);
  });

  it("refuses what is no non-empty array of supported next-auth event names", () => {
    for (const on of [null, [], "createUser", {}]) {
      expect(() => chosenEvents("stripe", on, ["createUser", "updateUser"])).toThrowError(
        new TypeError(
          '[auth-recipes/stripe] option "on" must list at least one of createUser, updateUser',
        ),
      );
    }
    expect(() => chosenEvents("webhook", ["user.created"], ANALYTICS_EVENTS)).toThrowError(
      new TypeError(
        '[auth-recipes/webhook] option "on" has an unknown event "user.created"; the events are createUser, updateUser, signIn, signOut, linkAccount',
      ),
    );
    // A hostile entry is described, never printed whole nor inspected.
    const hostile = {
      toString: () => {
        throw new Error("inspected");
      },
    };
    expect(() => chosenEvents("x", [hostile], ["signIn"])).toThrowError(
      'option "on" has an unknown event an object; the events are signIn',
    );
    expect(() => chosenEvents("x", ["s".repeat(10_000)], ["signIn"])).toThrowError(
      `unknown event "${"s".repeat(40)}…"`,
    );
  });
});

describe("analyticsMapping: auth events as identify and track calls", () => {
  const mapping = analyticsMapping("segment", "Segment", {}, DEFAULTS);

  it("handles every event but session by default, with the recipe's names", () => {
    expect(mapping.on).toEqual(["createUser", "updateUser", "signIn", "signOut", "linkAccount"]);
    expect(mapping.intents("createUser", { user })).toEqual([
      { kind: "identify", userId: "u1", traits: { email: "ada@example.com", name: "Ada" } },
      { kind: "track", userId: "u1", event: "Signed Up", properties: {} },
    ]);
    expect(mapping.intents("updateUser", { user })).toEqual([
      { kind: "identify", userId: "u1", traits: { email: "ada@example.com", name: "Ada" } },
    ]);
    const account = { provider: "github", type: "oauth", access_token: "gho_secret", userId: "u1" };
    expect(mapping.intents("signIn", { user, account, isNewUser: false })).toEqual([
      {
        kind: "track",
        userId: "u1",
        event: "Signed In",
        properties: { provider: "github", type: "oauth", isNewUser: false },
      },
    ]);
    expect(mapping.intents("signOut", { session: { userId: "u2" } })).toEqual([
      { kind: "track", userId: "u2", event: "Signed Out", properties: {} },
    ]);
    expect(mapping.intents("linkAccount", { user: {}, account })).toEqual([
      { kind: "track", userId: "u1", event: "Account Linked", properties: { provider: "github" } },
    ]);
  });

  it("skips an event with no usable user id, and survives messages that are not objects", () => {
    for (const message of [undefined, null, 42, { user: { id: "a\u202eb" } }]) {
      const result = mapping.intents("createUser", message);
      expect(isSkip(result) && result.reason).toBe("no user id to send to Segment");
    }
    const result = mapping.intents("signOut", { token: null });
    expect(isSkip(result) && result.reason).toMatch(/^no user id in the signOut message/);
  });

  it("reads `on`, `names` keyed by next-auth's event names, and `createUser: false`", () => {
    const chosen = analyticsMapping(
      "posthog",
      "PostHog",
      { on: ["createUser", "signIn"], names: { createUser: false, signIn: "logged in" } },
      DEFAULTS,
    );
    expect(chosen.on).toEqual(["createUser", "signIn"]);
    expect(chosen.intents("createUser", { user })).toEqual([
      { kind: "identify", userId: "u1", traits: { email: "ada@example.com", name: "Ada" } },
    ]);
    expect(chosen.intents("signIn", { user })).toEqual([
      { kind: "track", userId: "u1", event: "logged in", properties: {} },
    ]);
  });

  it("refuses an unknown key, a blank name and false anywhere but createUser, naming the option", () => {
    const names = (value: unknown) => () =>
      analyticsMapping("segment", "Segment", { names: value }, DEFAULTS);
    expect(names({ signUp: "Joined" })).toThrowError(
      new TypeError(
        '[auth-recipes/segment] option "names" has an unknown key "signUp"; the keys are createUser, signIn, signOut, linkAccount',
      ),
    );
    expect(names({ signIn: " " })).toThrowError(
      '[auth-recipes/segment] option "names.signIn" must be a non-empty string; to send nothing on signIn, leave it out of "on"',
    );
    expect(names({ signOut: false })).toThrowError('leave it out of "on"');
    expect(names({ createUser: 0 })).toThrowError(
      'option "names.createUser" must be a non-empty string or false',
    );
    expect(names("Signed Up")).toThrowError('option "names" must be an object');
    expect(() =>
      analyticsMapping("segment", "Segment", { on: ["session"] }, DEFAULTS),
    ).toThrowError('option "on" has an unknown event "session"');
  });

  it("makes one handler per chosen event, handing the calls on or returning the skip", async () => {
    const sent: unknown[] = [];
    const events = analyticsMapping(
      "segment",
      "Segment",
      { on: ["signIn", "signOut"] },
      DEFAULTS,
    ).events(async (intents, event, context) => {
      sent.push({ intents, event, context });
      return undefined;
    });
    expect(Object.keys(events)).toEqual(["signIn", "signOut"]);
    await events.signIn!({ user } as never, undefined as never);
    expect(sent).toEqual([
      {
        intents: [{ kind: "track", userId: "u1", event: "Signed In", properties: {} }],
        event: "signIn",
        context: undefined,
      },
    ]);
    const skipped = await events.signOut!({ token: null } as never, undefined as never);
    expect(isSkip(skipped)).toBe(true);
    expect(sent).toHaveLength(1);
  });

  it("fails the event when traits returns no object", () => {
    const bad = analyticsMapping("segment", "Segment", { traits: () => null as never }, DEFAULTS);
    expect(() => bad.intents("updateUser", { user })).toThrowError(
      new TypeError('[auth-recipes/segment] option "traits" must return an object'),
    );
  });
});
