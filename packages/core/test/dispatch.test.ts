import { describe, expect, it } from "vitest";
import {
  composeEvents,
  type DispatchReport,
  type HandlerContext,
  type RecipeError,
  skip,
} from "../src/index.ts";

const user = { id: "u1", email: "ada@example.test", name: "Ada" };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("a composed callback", () => {
  it("starts every handler at once, in the order given, so the event takes as long as the slowest", async () => {
    const started: string[] = [];
    const slow = (name: string) => async () => {
      started.push(name);
      await sleep(150);
    };
    const events = composeEvents([
      { name: "a", events: { createUser: slow("a") } },
      { name: "b", events: { createUser: slow("b") } },
      { name: "c", events: { createUser: slow("c") } },
    ]);
    const t0 = performance.now();
    const pending = events.createUser!({ user });
    // Every handler has been called before the composed call returned.
    expect(started).toEqual(["a", "b", "c"]);
    await pending;
    const elapsed = performance.now() - t0;
    expect(elapsed).toBeGreaterThanOrEqual(145);
    expect(elapsed).toBeLessThan(400); // sequential would be ≥ 450
  });

  it("passes the message and a context to each handler", async () => {
    const seen: Array<{ message: unknown; context: HandlerContext }> = [];
    const events = composeEvents(
      [
        {
          name: "a",
          events: {
            signIn: (message, context) => {
              seen.push({ message, context });
            },
          },
        },
        {
          name: "b",
          timeoutMs: 2000,
          events: {
            signIn: (message, context) => {
              seen.push({ message, context });
            },
          },
        },
      ],
      { timeoutMs: 5000 },
    );
    const message = { user, account: null, isNewUser: true };
    const before = Date.now();
    await events.signIn!(message);
    expect(seen).toHaveLength(2);
    const [a, b] = seen as [(typeof seen)[0], (typeof seen)[0]];
    expect(a.message).toBe(message);
    expect(a.context).toMatchObject({ event: "signIn", recipe: "a", attempt: 1 });
    expect(b.context.recipe).toBe("b");
    expect(a.context.dispatchId).toMatch(/^[0-9a-f-]{36}$/);
    expect(b.context.dispatchId).toBe(a.context.dispatchId);
    expect(a.context.deadline - before).toBeGreaterThanOrEqual(4990);
    expect(a.context.deadline - before).toBeLessThanOrEqual(5100);
    expect(b.context.deadline - before).toBeLessThanOrEqual(2100);
    expect(a.context.signal.aborted).toBe(false);
    await events.signIn!(message);
    expect(seen[2]!.context.dispatchId).not.toBe(a.context.dispatchId);
  });

  it("calls a plain events object's handler with the message, bound to its object", async () => {
    const calls: unknown[] = [];
    const plain = {
      createUser(this: unknown, message: unknown) {
        calls.push([this, message]);
      },
    };
    const reports: DispatchReport[] = [];
    const events = composeEvents([plain as never], { onSettled: (r) => reports.push(r) });
    await events.createUser!({ user });
    expect(calls).toEqual([[plain, { user }]]);
    expect(reports[0]!.results[0]!.recipe).toBe("events[0]");
  });

  it("isolates failures: a sync throw, a rejection and a thrown non-Error are reported alike, the others still run", async () => {
    const errors: RecipeError[] = [];
    const delivered: string[] = [];
    const thrown = { code: 42 };
    const events = composeEvents(
      [
        {
          name: "sync",
          events: {
            createUser: () => {
              throw new Error("sync boom");
            },
          },
        },
        {
          name: "async",
          events: { createUser: async () => Promise.reject(new Error("async boom")) },
        },
        {
          name: "value",
          events: {
            createUser: () => {
              throw thrown;
            },
          },
        },
        { name: "fine", events: { createUser: async () => void delivered.push("fine") } },
      ],
      { onError: (error) => errors.push(error) },
    );
    await expect(events.createUser!({ user })).resolves.toBeUndefined();
    expect(delivered).toEqual(["fine"]);
    // onError fires as each handler settles, so order by recipe to compare.
    errors.sort((a, b) => a.recipe.localeCompare(b.recipe));
    expect(errors.map((e) => [e.name, e.recipe, e.event, e.attempts, e.timedOut])).toEqual([
      ["RecipeError", "async", "createUser", 1, false],
      ["RecipeError", "sync", "createUser", 1, false],
      ["RecipeError", "value", "createUser", 1, false],
    ]);
    expect(errors[1]!.message).toBe(
      'recipe "sync" failed on createUser after 1 attempt: sync boom',
    );
    expect(errors[1]!.cause.message).toBe("sync boom");
    expect(errors[1]!.cause).toBeInstanceOf(Error);
    // The value as thrown stays reachable; the cause is its printable copy.
    expect(errors[2]!.unsafeCause).toBe(thrown);
    expect(errors[2]!.cause).toMatchObject({ message: "[object Object]", code: 42 });
  });

  it("never rejects, even when onError and onSettled throw or reject", async () => {
    const events = composeEvents(
      [
        {
          name: "a",
          events: {
            signOut: () => {
              throw new Error("x");
            },
          },
        },
      ],
      {
        onError: () => {
          throw new Error("logger down");
        },
        onSettled: async () => {
          throw new Error("metrics down");
        },
      },
    );
    await expect(events.signOut!({ token: { sub: "u1" } })).resolves.toBeUndefined();
    const rejecting = composeEvents([{ name: "a", events: { signOut: () => Promise.reject(1) } }], {
      onError: () => Promise.reject(new Error("async logger down")),
    });
    await expect(rejecting.signOut!({ token: null })).resolves.toBeUndefined();
  });

  it("reports every handler's outcome once, with skips as skips", async () => {
    const reports: DispatchReport[] = [];
    const errors: RecipeError[] = [];
    const events = composeEvents(
      [
        { name: "ok", events: { createUser: () => sleep(20).then(() => {}) } },
        { name: "returns-skip", events: { createUser: () => skip("no email address") } },
        {
          name: "throws-skip",
          events: {
            createUser: () => {
              throw skip("not wanted");
            },
          },
        },
        { name: "fails", events: { createUser: () => Promise.reject(new Error("down")) } },
      ],
      { onSettled: (report) => reports.push(report), onError: (e) => errors.push(e) },
    );
    await events.createUser!({ user });
    expect(reports).toHaveLength(1);
    const [report] = reports as [DispatchReport];
    expect(report.event).toBe("createUser");
    expect(report.dispatchId).toMatch(/^[0-9a-f-]{36}$/);
    expect(report.durationMs).toBeGreaterThanOrEqual(15);
    expect(
      report.results.map(({ recipe, status, attempts, reason }) => ({
        recipe,
        status,
        attempts,
        reason,
      })),
    ).toEqual([
      { recipe: "ok", status: "fulfilled", attempts: 1, reason: undefined },
      { recipe: "returns-skip", status: "skipped", attempts: 1, reason: "no email address" },
      { recipe: "throws-skip", status: "skipped", attempts: 1, reason: "not wanted" },
      { recipe: "fails", status: "rejected", attempts: 1, reason: undefined },
    ]);
    expect(report.results[0]!.durationMs).toBeGreaterThanOrEqual(15);
    expect(report.results[3]!.error).toBe(errors[0]);
    expect(errors).toHaveLength(1);
  });

  it("does not treat a look-alike object as a skip", async () => {
    const reports: DispatchReport[] = [];
    const events = composeEvents(
      [{ name: "a", events: { signIn: () => ({ skipped: true, reason: "x" }) as never } }],
      {
        onSettled: (r) => reports.push(r),
      },
    );
    await events.signIn!({ user });
    expect(reports[0]!.results[0]!.status).toBe("fulfilled");
  });
});
