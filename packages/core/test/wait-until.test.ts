import { describe, expect, it } from "vitest";
import { composeEvents } from "../src/index.ts";

const user = { id: "u1" };

describe("waitUntil", () => {
  it("hands the settling promise over and resolves at once", async () => {
    const handed: Array<Promise<unknown>> = [];
    let finished = false;
    const events = composeEvents(
      [
        {
          name: "slow",
          events: {
            createUser: async () => {
              await new Promise((resolve) => setTimeout(resolve, 400));
              finished = true;
            },
          },
        },
      ],
      { waitUntil: (promise) => handed.push(promise) },
    );
    const t0 = performance.now();
    await events.createUser!({ user });
    // Returned long before the handler's 400 ms, which is still running.
    expect(performance.now() - t0).toBeLessThan(300);
    expect(finished).toBe(false);
    expect(handed).toHaveLength(1);
    await handed[0];
    expect(finished).toBe(true);
  });

  it("the handed promise never rejects, whatever the handlers do", async () => {
    const handed: Array<Promise<unknown>> = [];
    const events = composeEvents(
      [{ name: "a", events: { signIn: () => Promise.reject(new Error("x")) } }],
      {
        waitUntil: (promise) => handed.push(promise),
        onError: () => {},
      },
    );
    await events.signIn!({ user });
    await expect(handed[0]).resolves.toBeUndefined();
  });

  it("waits for the side effects itself when waitUntil throws (called outside a request)", async () => {
    let finished = false;
    const events = composeEvents(
      [
        {
          name: "slow",
          events: {
            createUser: async () => {
              await new Promise((resolve) => setTimeout(resolve, 60));
              finished = true;
            },
          },
        },
      ],
      {
        waitUntil: () => {
          throw new Error("`after` was called outside a request scope");
        },
      },
    );
    await events.createUser!({ user });
    expect(finished).toBe(true);
  });

  it("an async waitUntil that rejects raises no unhandled rejection, and the side effects still run", async () => {
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => void unhandled.push(reason);
    process.on("unhandledRejection", listener);
    try {
      let finished = false;
      const events = composeEvents(
        [
          {
            name: "slow",
            events: {
              createUser: async () => {
                await new Promise((resolve) => setTimeout(resolve, 30));
                finished = true;
              },
            },
          },
        ],
        { waitUntil: async () => Promise.reject(new Error("no request context")) },
      );
      await events.createUser!({ user });
      await new Promise((resolve) => setTimeout(resolve, 80));
      expect(finished).toBe(true);
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", listener);
    }
  });
});
