import { describe, expect, it } from "vitest";
import {
  composeEvents,
  type DispatchReport,
  type HandlerContext,
  type RecipeError,
  type RetryOptions,
} from "../src/index.ts";
import { backoffDelay, retryDelay, UpstreamError } from "../src/kit/index.ts";
import { toRetryPolicy } from "../src/retry.ts";

const user = { id: "u1" };
const failing = (status: number) => Object.assign(new Error(`HTTP ${status}`), { status });

function recorder() {
  const reports: DispatchReport[] = [];
  const errors: RecipeError[] = [];
  return {
    reports,
    errors,
    onSettled: (r: DispatchReport) => void reports.push(r),
    onError: (e: RecipeError) => void errors.push(e),
  };
}

describe("retries", () => {
  it("are off by default", async () => {
    let calls = 0;
    const { errors, onError } = recorder();
    const events = composeEvents(
      [
        {
          name: "a",
          events: {
            createUser: () => {
              calls++;
              throw failing(503);
            },
          },
        },
      ],
      { onError },
    );
    await events.createUser!({ user });
    expect(calls).toBe(1);
    expect(errors[0]!.attempts).toBe(1);
  });

  it("retry a retryable failure until it succeeds, with one dispatchId and a rising attempt", async () => {
    const contexts: HandlerContext[] = [];
    const { reports, errors, onSettled, onError } = recorder();
    const events = composeEvents(
      [
        {
          name: "flaky",
          events: {
            createUser: (_m, context) => {
              contexts.push(context);
              if (context.attempt < 3) throw failing(500);
            },
          },
        },
      ],
      { retry: { minDelayMs: 10, jitter: false }, onSettled, onError },
    );
    await events.createUser!({ user });
    expect(contexts.map((c) => c.attempt)).toEqual([1, 2, 3]);
    expect(new Set(contexts.map((c) => c.dispatchId)).size).toBe(1);
    expect(reports[0]!.results[0]).toMatchObject({ status: "fulfilled", attempts: 3 });
    expect(errors).toEqual([]);
  });

  it("give up after `retries` and report once, with the last cause and the attempt count", async () => {
    let calls = 0;
    const { errors, onError } = recorder();
    const events = composeEvents(
      [
        {
          name: "down",
          events: {
            signIn: () => {
              calls++;
              throw failing(502);
            },
          },
        },
      ],
      { retry: { retries: 2, minDelayMs: 5, jitter: false }, onError },
    );
    await events.signIn!({ user });
    expect(calls).toBe(3);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.attempts).toBe(3);
    expect(errors[0]!.message).toBe('recipe "down" failed on signIn after 3 attempts: HTTP 502');
  });

  it("do not retry what isRetryable refuses: a 4xx, a bug, an error marked retryable: false", async () => {
    for (const error of [
      failing(400),
      new TypeError("x is undefined"),
      Object.assign(failing(503), { retryable: false }),
    ]) {
      let calls = 0;
      const events = composeEvents(
        [
          {
            name: "a",
            events: {
              signIn: () => {
                calls++;
                throw error;
              },
            },
          },
        ],
        {
          retry: { minDelayMs: 1 },
          onError: () => {},
        },
      );
      await events.signIn!({ user });
      expect(calls).toBe(1);
    }
  });

  it("retry a timed-out attempt, and the next attempt gets a fresh signal and deadline", async () => {
    const contexts: HandlerContext[] = [];
    const events = composeEvents(
      [
        {
          name: "slow-then-fast",
          events: {
            signIn: (_m, context) => {
              contexts.push(context);
              void context.signal;
              return context.attempt === 1 ? new Promise(() => {}) : undefined;
            },
          },
        },
      ],
      { timeoutMs: 50, retry: { minDelayMs: 1, jitter: false } },
    );
    await events.signIn!({ user });
    expect(contexts).toHaveLength(2);
    expect(contexts[0]!.signal.aborted).toBe(true);
    expect(contexts[1]!.signal.aborted).toBe(false);
    expect(contexts[1]!.deadline).toBeGreaterThan(contexts[0]!.deadline);
  });

  /** The time between the attempts of a handler that always fails with a 500, under `retry`. */
  async function gapsBetweenAttempts(retry: RetryOptions): Promise<number[]> {
    const times: number[] = [];
    const events = composeEvents(
      [
        {
          name: "a",
          events: {
            signIn: () => {
              times.push(performance.now());
              throw failing(500);
            },
          },
        },
      ],
      { retry, onError: () => {} },
    );
    await events.signIn!({ user });
    return times.slice(1).map((t, i) => t - times[i]!);
  }

  it("wait with exponential backoff between attempts", async () => {
    const gaps = await gapsBetweenAttempts({
      retries: 3,
      minDelayMs: 40,
      factor: 2,
      jitter: false,
    });
    expect(gaps).toHaveLength(3);
    expect(gaps[0]).toBeGreaterThanOrEqual(38);
    expect(gaps[1]).toBeGreaterThanOrEqual(78);
    expect(gaps[2]).toBeGreaterThanOrEqual(158);
    expect(gaps[2]).toBeLessThan(400);
  });

  it("cap the delay at maxDelayMs and keep jittered delays between half and all of it", async () => {
    const gaps = await gapsBetweenAttempts({
      retries: 3,
      minDelayMs: 60,
      maxDelayMs: 60,
      jitter: true,
    });
    expect(gaps).toHaveLength(3);
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(28);
      expect(gap).toBeLessThan(120);
    }
  });

  it("ask retryIf with the error and the attempt; a throwing retryIf means no", async () => {
    const asked: Array<[unknown, number]> = [];
    const boom = new Error("custom");
    const events = composeEvents(
      [
        {
          name: "a",
          events: {
            signIn: () => {
              throw boom;
            },
          },
        },
        {
          name: "b",
          retry: {
            retryIf: () => {
              throw new Error("bad predicate");
            },
          },
          events: {
            signIn: () => {
              throw boom;
            },
          },
        },
      ],
      {
        retry: {
          retries: 2,
          minDelayMs: 1,
          retryIf: (error, attempt) => {
            asked.push([error, attempt]);
            return true;
          },
        },
        onError: () => {},
      },
    );
    await events.signIn!({ user });
    expect(asked).toEqual([
      [boom, 1],
      [boom, 2],
    ]);
  });

  it("follow the recipe's own policy over the option, including `false`", async () => {
    const calls: Record<string, number> = { own: 0, off: 0, inherited: 0 };
    const handler = (name: string) => () => {
      calls[name]!++;
      throw failing(500);
    };
    const events = composeEvents(
      [
        { name: "own", retry: { retries: 1, minDelayMs: 1 }, events: { signIn: handler("own") } },
        { name: "off", retry: false, events: { signIn: handler("off") } },
        { name: "inherited", events: { signIn: handler("inherited") } },
      ],
      { retry: { retries: 3, minDelayMs: 1 }, onError: () => {} },
    );
    await events.signIn!({ user });
    expect(calls).toEqual({ own: 2, off: 1, inherited: 4 });
  });

  it("`retry: true` means the default policy (3 retries)", async () => {
    let calls = 0;
    const events = composeEvents(
      [
        {
          name: "a",
          events: {
            signIn: () => {
              calls++;
              throw failing(500);
            },
          },
        },
      ],
      {
        retry: true,
        onError: () => {},
      },
    );
    // Default delays: 100, 200, 400 ms with jitter (≥ 350 ms in all).
    const t0 = performance.now();
    await events.signIn!({ user });
    expect(calls).toBe(4);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(340);
  });

  it("never retry a skip", async () => {
    let calls = 0;
    const { skip } = await import("../src/index.ts");
    const events = composeEvents(
      [
        {
          name: "a",
          events: {
            signIn: () => {
              calls++;
              throw skip("nope");
            },
          },
        },
      ],
      { retry: true },
    );
    await events.signIn!({ user });
    expect(calls).toBe(1);
  });

  /**
   * The attempts of a recipe that answers 429 with a Retry-After (as `retryAfterMs`) `failures` times
   * and then succeeds, recorded at the recipe: when each attempt started, and the outcome.
   */
  async function attemptsAfter429(
    retryAfterMs: number,
    retry: RetryOptions,
    failures = 1,
  ): Promise<{ gaps: number[]; status: string | undefined }> {
    const times: number[] = [];
    const { reports, onSettled, onError } = recorder();
    const events = composeEvents(
      [
        {
          name: "rate-limited",
          events: {
            createUser: () => {
              times.push(performance.now());
              if (times.length <= failures)
                throw new UpstreamError("crm", "429 Too Many Requests", {
                  status: 429,
                  retryAfterMs,
                });
            },
          },
        },
      ],
      { retry, onSettled, onError },
    );
    await events.createUser!({ user });
    return {
      gaps: times.slice(1).map((t, i) => t - times[i]!),
      status: reports[0]?.results[0]?.status,
    };
  }

  it("wait at least the retryAfterMs the error asks for, longer than the backoff and its jitter", async () => {
    const { gaps, status } = await attemptsAfter429(250, { minDelayMs: 1, jitter: true });
    expect(status).toBe("fulfilled");
    expect(gaps).toHaveLength(1);
    expect(gaps[0]).toBeGreaterThanOrEqual(245);
    expect(gaps[0]).toBeLessThan(2000);
  });

  it("never retry sooner than an error asks: one that asks for more than maxDelayMs is reported, not retried", async () => {
    const started = performance.now();
    const { gaps, status } = await attemptsAfter429(60_000, { minDelayMs: 1, maxDelayMs: 150 }, 2);
    // Retrying after 150 ms would only meet the same 429: the failure is reported at once instead.
    expect(status).toBe("rejected");
    expect(gaps).toEqual([]);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("wait as long as asked when that is within maxDelayMs, even past the backoff's cap", async () => {
    const { gaps, status } = await attemptsAfter429(300, { minDelayMs: 1, maxDelayMs: 300 });
    expect(status).toBe("fulfilled");
    expect(gaps[0]).toBeGreaterThanOrEqual(295);
  });

  it("retryDelay: undefined past maxDelayMs or the deadline; backoffDelay: at least what is asked", () => {
    const policy = toRetryPolicy({ minDelayMs: 10, maxDelayMs: 100, jitter: false }, "")!;
    const asks = (ms: number) => ({ retryAfterMs: ms });
    expect(retryDelay(policy, 1, asks(1000))).toBeUndefined();
    expect(retryDelay(policy, 1, asks(50))).toBe(50);
    expect(retryDelay(policy, 1, new Error("503"))).toBe(10);
    expect(retryDelay(policy, 1, asks(50), Date.now() + 20)).toBeUndefined();
    expect(retryDelay(policy, 1, asks(Number.NaN))).toBe(10);
    expect(backoffDelay(policy, 1, asks(1000))).toBe(1000);
    expect(backoffDelay(policy, 5, undefined)).toBe(100);
  });

  it("keep the backoff when the error asks for less, and read retryAfterMs from any error", async () => {
    const { gaps } = await attemptsAfter429(5, { minDelayMs: 200, jitter: false });
    expect(gaps[0]).toBeGreaterThanOrEqual(195);
    const times: number[] = [];
    const events = composeEvents(
      [
        {
          name: "plain",
          events: {
            signIn: () => {
              times.push(performance.now());
              if (times.length === 1)
                throw Object.assign(new Error("busy"), { status: 503, retryAfterMs: 200 });
            },
          },
        },
      ],
      { retry: { minDelayMs: 1 } },
    );
    await events.signIn!({ user });
    expect(times).toHaveLength(2);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(195);
  });
});
