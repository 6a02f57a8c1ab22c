import { describe, expect, it } from "vitest";
import { composeEvents, defineRecipe } from "../src/index.ts";

const noop = async () => {};

describe("composeEvents configuration", () => {
  it("holds exactly the events some recipe handles, in next-auth's order", () => {
    const events = composeEvents([
      { name: "a", events: { session: noop, createUser: noop } },
      { signIn: noop },
      false,
      null,
      undefined,
    ]);
    expect(Object.keys(events)).toEqual(["signIn", "createUser", "session"]);
    expect(composeEvents([])).toEqual({});
  });

  it("treats an undefined handler as not handled, so the key stays absent", () => {
    const events = composeEvents([{ name: "a", events: { signIn: undefined, createUser: noop } }]);
    expect("signIn" in events).toBe(false);
  });

  it("rejects an unknown event name, naming it and the recipe", () => {
    expect(() =>
      composeEvents([{ name: "mailer", events: { createdUser: noop } as never }]),
    ).toThrowError(
      new TypeError(
        '[auth-recipes/core] recipe "mailer" has an unknown event "createdUser"; the events are signIn, signOut, createUser, updateUser, linkAccount, session',
      ),
    );
    expect(() => composeEvents([{ createdUser: noop } as never])).toThrowError(
      /recipe "events\[0\]" has an unknown event "createdUser"/,
    );
  });

  it("rejects a handler that is not a function", () => {
    expect(() => composeEvents([{ name: "a", events: { signIn: "yes" as never } }])).toThrowError(
      new TypeError('[auth-recipes/core] recipe "a": the signIn handler must be a function'),
    );
  });

  it("rejects two recipes with one name, and a recipe without a name", () => {
    expect(() =>
      composeEvents([
        { name: "slack", events: { signIn: noop } },
        { name: "slack", events: { signOut: noop } },
      ]),
    ).toThrowError(/recipes\[1\] needs a unique, non-empty "name" \(got "slack"\)/);
    expect(() => composeEvents([{ name: "", events: {} }])).toThrowError(TypeError);
    expect(() => composeEvents([{ events: {} } as never])).toThrowError(
      /recipes\[0\] needs a unique/,
    );
  });

  it("rejects entries that are not objects, and a list that is not an array", () => {
    expect(() => composeEvents(["slack" as never])).toThrowError(
      /recipes\[0\] must be a recipe or an events object/,
    );
    expect(() => composeEvents({ name: "a", events: {} } as never)).toThrowError(
      new TypeError("[auth-recipes/core] recipes must be an array of recipes"),
    );
  });

  it.each([0, -1, Number.NaN, "1000", null])(
    "rejects timeoutMs %s with a RangeError",
    (timeoutMs) => {
      expect(() => composeEvents([], { timeoutMs: timeoutMs as number })).toThrowError(RangeError);
      expect(() =>
        composeEvents([{ name: "a", events: {}, timeoutMs: timeoutMs as number }]),
      ).toThrowError(/recipe "a" option "timeoutMs" must be a positive number or Infinity/);
    },
  );

  it("accepts Infinity as a timeout", () => {
    expect(() =>
      composeEvents([{ name: "a", events: { signIn: noop } }], { timeoutMs: Infinity }),
    ).not.toThrow();
  });

  it.each([
    { retries: -1 },
    { retries: 1.5 },
    { minDelayMs: -5 },
    { maxDelayMs: Infinity },
    { factor: 0.5 },
    { retryIf: "always" },
  ])("rejects the retry policy %o", (retry) => {
    expect(() => composeEvents([], { retry: retry as never })).toThrowError(RangeError);
    expect(() => composeEvents([], { retry: retry as never })).toThrowError(/option "retry" needs/);
  });

  it("rejects callbacks that are not functions", () => {
    for (const key of ["onError", "onSettled", "waitUntil"]) {
      expect(() => composeEvents([], { [key]: "console" })).toThrowError(
        new TypeError(`[auth-recipes/core] option "${key}" must be a function`),
      );
    }
  });

  it("defineRecipe returns its argument", () => {
    const recipe = { name: "x", events: { signIn: noop } };
    expect(defineRecipe(recipe)).toBe(recipe);
  });
});
