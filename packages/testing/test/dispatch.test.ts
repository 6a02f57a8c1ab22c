import { describe, expect, it } from "vitest";
import { dispatchEvent, dispatchThrough, events, nextAuthHost, users } from "../src/index.ts";

describe("dispatchEvent", () => {
  it("returns the report and every error, and still calls the caller's callbacks", async () => {
    const seen: string[] = [];
    const { report, errors, durationMs } = await dispatchEvent(
      [
        { name: "ok", events: { createUser: async () => {} } },
        {
          name: "broken",
          events: {
            createUser: () => {
              throw new Error("down");
            },
          },
        },
      ],
      "createUser",
      events.createUser(users.alice),
      {
        onError: (error) => void seen.push(`error ${error.recipe}`),
        onSettled: () => void seen.push("settled"),
      },
    );
    expect(report.results.map((r) => [r.recipe, r.status])).toEqual([
      ["ok", "fulfilled"],
      ["broken", "rejected"],
    ]);
    expect(errors.map((e) => e.recipe)).toEqual(["broken"]);
    expect(seen).toEqual(["error broken", "settled"]);
    expect(durationMs).toBeGreaterThanOrEqual(0);
  });

  it("with waitUntil, measures the callback's own time and still waits for the report", async () => {
    const handed: Array<Promise<unknown>> = [];
    const { report, durationMs } = await dispatchEvent(
      [
        {
          name: "slow",
          events: { signIn: () => new Promise<void>((resolve) => setTimeout(resolve, 400)) },
        },
      ],
      "signIn",
      events.signInEmail(users.alice),
      { waitUntil: (promise) => handed.push(promise) },
    );
    expect(handed).toHaveLength(1);
    // It returned without waiting for the 400 ms handler.
    expect(durationMs).toBeLessThan(300);
    expect(report.results[0]).toMatchObject({ recipe: "slow", status: "fulfilled" });
  });

  it("refuses an event no recipe handles", async () => {
    await expect(
      dispatchEvent(
        [{ name: "a", events: { signIn: () => {} } }],
        "signOut",
        events.signOutWithToken(users.alice),
      ),
    ).rejects.toThrowError("[auth-recipes/testing] no recipe handles signOut");
  });
});

describe("dispatchThrough", () => {
  const recipe = { name: "ok", events: { createUser: async () => {} } };

  it("records through the options the host passes on, and keeps the host's durationMs", async () => {
    const seen: unknown[] = [];
    const { report, errors, durationMs } = await dispatchThrough(
      {
        name: "slow-start",
        async dispatch(recipes, event, message, options) {
          seen.push(options);
          // Setup the library does before the sign-in, not part of what the sign-in waits for.
          await new Promise((resolve) => setTimeout(resolve, 200));
          return nextAuthHost.dispatch(recipes, event, message, options);
        },
      },
      [recipe],
      "createUser",
      events.createUser(users.alice),
    );
    expect(report.results.map((r) => r.status)).toEqual(["fulfilled"]);
    expect(errors).toEqual([]);
    expect(durationMs).toBeLessThan(150);
    expect(seen[0]).toMatchObject({
      onError: expect.any(Function),
      onSettled: expect.any(Function),
    });
  });

  it("throws, naming the host, when the host loses the options", async () => {
    await expect(
      dispatchThrough(
        {
          name: "forgetful",
          dispatch: (recipes, event, message) => nextAuthHost.dispatch(recipes, event, message, {}),
        },
        [recipe],
        "createUser",
        events.createUser(users.alice),
      ),
    ).rejects.toThrowError(
      "[auth-recipes/testing] the forgetful host reported nothing for createUser",
    );
  });
});
