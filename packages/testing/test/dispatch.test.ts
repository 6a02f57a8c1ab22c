import { describe, expect, it } from "vitest";
import { dispatchEvent, events, users } from "../src/index.ts";

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
