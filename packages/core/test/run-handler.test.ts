import { describe, expect, it, vi } from "vitest";
import {
  composeEvents,
  type DispatchReport,
  type HandlerContext,
  type RecipeError,
} from "../src/index.ts";
import { defaultOnError, type Route, resolveRoutes, runHandler } from "../src/kit/index.ts";

const user = { id: "u1" };

function routeOf(
  handler: (message: unknown, context: HandlerContext) => unknown,
  options: { timeoutMs?: number; retry?: boolean | Record<string, unknown> } = {},
): Route {
  const [route] = resolveRoutes([
    { name: "r", events: { createUser: handler as never }, ...options },
  ]).createUser;
  if (!route) throw new Error("no route");
  return route;
}

describe("runHandler, the runner composeEvents uses", () => {
  it("runs the attempts, reports the failure once and settles with a one-handler report, never rejecting", async () => {
    const errors: RecipeError[] = [];
    const reports: DispatchReport[] = [];
    let calls = 0;
    const route = routeOf(
      () => {
        calls++;
        throw Object.assign(new Error("HTTP 503 for a@example.com"), { status: 503 });
      },
      { retry: { retries: 2, minDelayMs: 1, jitter: false } },
    );
    const result = await runHandler(
      route,
      { user },
      {
        dispatchId: "d-1",
        onError: (error) => {
          errors.push(error);
          throw new Error("a broken logger");
        },
        onSettled: (report) => void reports.push(report),
      },
    );
    expect(calls).toBe(3);
    expect(result).toMatchObject({ recipe: "r", status: "rejected", attempts: 3 });
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).not.toContain("a@example.com");
    expect(reports).toEqual([
      expect.objectContaining({ event: "createUser", dispatchId: "d-1", results: [result] }),
    ]);
  });

  it("hands a retry back to a queue with its delay and a redacted reason (retryLater), numbering attempts from `attempt`", async () => {
    const onError = vi.fn();
    const contexts: HandlerContext[] = [];
    const route = routeOf(
      (_, context) => {
        contexts.push(context);
        throw Object.assign(new Error("HTTP 429 for a@example.com"), {
          status: 429,
          retryAfterMs: 700,
        });
      },
      { retry: { retries: 3, minDelayMs: 1, jitter: false } },
    );
    const run = await runHandler(
      route,
      { user },
      {
        dispatchId: "job-1",
        attempt: 3,
        retryLater: true,
        onError,
      },
    );
    expect(run).toMatchObject({ status: "retry", attempts: 3, retryInMs: 700 });
    expect(run.status === "retry" && run.reason).not.toContain("a@example.com");
    expect(contexts.map((context) => [context.attempt, context.dispatchId])).toEqual([
      [3, "job-1"],
    ]);
    expect(onError).not.toHaveBeenCalled();
    // The last attempt the policy allows fails for good.
    const last = await runHandler(route, { user }, { attempt: 4, retryLater: true, onError });
    expect(last).toMatchObject({ status: "rejected", attempts: 4 });
    expect(onError).toHaveBeenCalledTimes(1);
  });

  it("ends at the deadline: the attempt's signal aborts, and no retry starts past it", async () => {
    let calls = 0;
    const aborted: number[] = [];
    const route = routeOf(
      (_, context) => {
        calls++;
        const started = Date.now();
        return new Promise((_resolve, reject) =>
          context.signal.addEventListener("abort", () => {
            aborted.push(Date.now() - started);
            reject(context.signal.reason);
          }),
        );
      },
      { timeoutMs: 10_000, retry: { retries: 5, minDelayMs: 50 } },
    );
    const started = Date.now();
    const result = await runHandler(
      route,
      { user },
      {
        deadline: Date.now() + 200,
        onError: () => {},
      },
    );
    expect(Date.now() - started).toBeLessThan(600);
    expect(result).toMatchObject({ status: "rejected", attempts: 1 });
    expect(result.error?.timedOut).toBe(true);
    expect(calls).toBe(1);
    expect(aborted[0]).toBeLessThan(400);
  });

  it("ends when the host's signal aborts, with the handler's signal aborted too", async () => {
    const host = new AbortController();
    let seen: AbortSignal | undefined;
    const route = routeOf((_, context) => {
      seen = context.signal;
      return new Promise(() => {});
    });
    setTimeout(() => host.abort(new Error("the host's own timeout")), 50);
    const result = await runHandler(route, { user }, { signal: host.signal, onError: () => {} });
    expect(result.status).toBe("rejected");
    expect(result.error?.message).toContain("the host's own timeout");
    expect(seen?.aborted).toBe(true);
    // An aborted signal runs nothing.
    let ran = false;
    const again = await runHandler(
      routeOf(() => {
        ran = true;
      }),
      { user },
      { signal: host.signal, onError: () => {} },
    );
    expect(ran).toBe(false);
    expect(again.status).toBe("rejected");
  });

  it("defaultOnError prints one line, whatever the recipe's name holds", () => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((line: string) => lines.push(line));
    try {
      defaultOnError({ message: 'recipe "a\n[auth-recipes] forged" failed' } as RecipeError);
    } finally {
      spy.mockRestore();
    }
    expect(lines).toEqual(['[auth-recipes] recipe "a\\n[auth-recipes] forged" failed']);
  });
});

describe("composeEvents on the runner", () => {
  it("waits as long as a retryAfterMs anywhere in the failure's cause chain asks", async () => {
    const at: number[] = [];
    const events = composeEvents(
      [
        {
          name: "r",
          retry: { retries: 1, minDelayMs: 1, maxDelayMs: 5_000, jitter: false },
          events: {
            createUser: () => {
              at.push(Date.now());
              if (at.length === 1) {
                throw new Error("fetch failed", {
                  cause: Object.assign(new Error("429"), { status: 429, retryAfterMs: 300 }),
                });
              }
            },
          },
        },
      ],
      { onError: () => {} },
    );
    await events.createUser?.({ user } as never);
    expect(at).toHaveLength(2);
    expect((at[1] ?? 0) - (at[0] ?? 0)).toBeGreaterThanOrEqual(280);
  });
});
