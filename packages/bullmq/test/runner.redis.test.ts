// The worker and the inline fallback run handlers through core's one runner: what used to drift in
// their copies of it (the default onError's lines, the fallback's bounds, retryAfterMs in a cause chain).
import { composeEvents, type RecipeError } from "@auth-recipes/core";
import { defaultMessage, type RedisServer, startRedisServer } from "@auth-recipes/testing";
import type { Queue } from "bullmq";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { enqueueRecipes, type RecipeWorker, startRecipeWorker } from "../src/index.ts";
import { freePort } from "./free-port.ts";
import { producerQueue, recording, waitFor } from "./helpers.ts";

vi.setConfig({ testTimeout: 30_000 });

let redis: RedisServer;
let queue: Queue;
const workers: RecipeWorker[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  queue = producerQueue(redis);
});
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(workers.splice(0).map((worker) => worker.close()));
  await queue.obliterate({ force: true });
});
afterAll(async () => {
  await queue.close();
  await redis.close();
});

describe("the worker, on core's runner", () => {
  it("prints one line per failure by default: a line break in a recipe's name forges no second line", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(" "));
    });
    const bad = recording(
      'bad\n[auth-recipes] recipe "stripe-customer" succeeded',
      ["createUser"],
      () => {
        throw new Error("refused");
      },
    );
    workers.push(startRecipeWorker([bad], { connection: redis.connection }));
    await composeEvents([enqueueRecipes([bad], { queue })]).createUser?.(
      defaultMessage("createUser"),
    );
    await waitFor(() => lines.length === 1, 10_000, "the log line");
    expect(lines[0]).toMatch(
      /^\[auth-recipes\] recipe "bad\\n\[auth-recipes\] .*" failed on createUser/,
    );
    expect(lines[0]).not.toContain("\n");
  });

  it("waits as long as a Retry-After in the failure's cause chain asks", async () => {
    const started = Date.now();
    const flaky = recording(
      "flaky",
      ["createUser"],
      (call) => {
        if (call.context.attempt === 1) {
          throw new Error("wrapped", {
            cause: Object.assign(new Error("429"), { status: 429, retryAfterMs: 600 }),
          });
        }
      },
      { retry: { retries: 1, minDelayMs: 1, maxDelayMs: 5_000, jitter: false } },
    );
    workers.push(startRecipeWorker([flaky], { connection: redis.connection }));
    await composeEvents([enqueueRecipes([flaky], { queue })]).createUser?.(
      defaultMessage("createUser"),
    );
    await waitFor(() => flaky.calls.length === 2, 10_000, "the retry");
    const [first, second] = flaky.calls;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(550);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("refuses a timeoutMs of 0 on the enqueue recipe instead of ignoring it", () => {
    expect(() => enqueueRecipes([recording("r")], { queue, timeoutMs: 0 })).toThrow(RangeError);
    expect(() => enqueueRecipes([recording("r")], { queue, timeoutMs: -1 })).toThrow(
      /\[auth-recipes\/bullmq\] option "timeoutMs"/,
    );
  });
});

describe("the inline fallback, on core's runner", () => {
  it("ends with the enqueue handler's deadline: its recipes' signals abort and no retry starts", async () => {
    const nowhere = producerQueue({ connection: { host: "127.0.0.1", port: await freePort() } });
    const stopped: number[] = [];
    const slow = recording(
      "slow",
      ["createUser"],
      (_, signal) =>
        new Promise((_resolve, reject) => {
          const started = Date.now();
          signal.addEventListener("abort", () => {
            stopped.push(Date.now() - started);
            reject(signal.reason);
          });
        }),
      // Its own bound would be 10 s, with retries: the enqueue handler's 400 ms comes first.
      { timeoutMs: 10_000, retry: { retries: 3, minDelayMs: 10 } },
    );
    const errors: RecipeError[] = [];
    const composed = composeEvents(
      [enqueueRecipes([slow], { queue: nowhere, enqueueTimeoutMs: 100, timeoutMs: 400 })],
      { onError: (error) => void errors.push(error) },
    );
    const started = Date.now();
    await composed.createUser?.(defaultMessage("createUser"));
    expect(Date.now() - started).toBeLessThan(1_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(slow.calls).toHaveLength(1);
    expect(stopped).toHaveLength(1);
    expect(stopped[0]).toBeLessThan(800);
    expect(errors).toHaveLength(1);
    await nowhere.close();
  });
});
