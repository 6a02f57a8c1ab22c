// Jobs this package did not write (another producer on the queue, a corrupted record) and input that
// breaks the building of jobs: each fails once and is reported, or is skipped, never retried in a loop,
// never a throw out of the dead-letter tools.
import { composeEvents, type RecipeError } from "@auth-recipes/core";
import { defaultMessage, type RedisServer, startRedisServer } from "@auth-recipes/testing";
import { type Queue, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  EnqueueError,
  enqueueRecipes,
  findUserJobs,
  listFailedJobs,
  MAX_JOB_ATTEMPTS,
  RECIPE_BACKOFF,
  type RecipeWorker,
  retryFailedJobs,
  startRecipeWorker,
} from "../src/index.ts";
import { producerQueue, recording, redisClient, waitFor } from "./helpers.ts";

vi.setConfig({ testTimeout: 30_000 });

let redis: RedisServer;
let queue: Queue;
let client: Redis;
const workers: RecipeWorker[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  queue = producerQueue(redis);
  client = redisClient(redis);
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.close()));
  await queue.obliterate({ force: true });
});
afterAll(async () => {
  await queue.close();
  client.disconnect();
  await redis.close();
});

// The options enqueueRecipes gives its jobs: a forged job gets the same, as the worst case.
const recipeJobOptions = { attempts: MAX_JOB_ATTEMPTS, backoff: { type: RECIPE_BACKOFF } };

/** JSON nested `levels` deep, written by hand: JSON.stringify itself cannot write it. */
function deepJson(levels: number): string {
  return `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`;
}

describe("a job that fails before its handler runs", () => {
  const cases: Array<[string, (id: string) => Promise<void>]> = [
    [
      "a message 100,000 levels deep",
      async (id) => {
        await queue.add(
          "r:createUser",
          { event: "createUser", recipe: "r", dispatchId: "d" },
          {
            ...recipeJobOptions,
            jobId: id,
          },
        );
        // Stored as BullMQ would have stored it, had a producer managed to write it.
        const data = `{"event":"createUser","recipe":"r","dispatchId":"d","message":${deepJson(100_000)}}`;
        await client.hset(`bull:auth-recipes:${id}`, "data", data);
      },
    ],
    [
      "a recipe field that cannot be turned into a string",
      async (id) => {
        await queue.add(
          "r:createUser",
          { event: "createUser", recipe: { toString: 1 }, dispatchId: "d", message: {} },
          { ...recipeJobOptions, jobId: id },
        );
      },
    ],
    [
      "an event field that cannot be turned into a string",
      async (id) => {
        await queue.add(
          "r:createUser",
          { event: { toString: 1, valueOf: 1 }, recipe: "r", dispatchId: "d", message: {} },
          { ...recipeJobOptions, jobId: id },
        );
      },
    ],
  ];

  it.each(cases)("%s fails once, with a clear reason, reported to onError", async (_, forge) => {
    const r = recording("r");
    await forge("forged-1");
    const errors: RecipeError[] = [];
    workers.push(
      startRecipeWorker([r], { connection: redis.connection, onError: (e) => void errors.push(e) }),
    );
    await waitFor(async () => (await queue.getFailedCount()) === 1, 10_000, "the job to fail");
    // No second attempt comes later.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const job = await queue.getJob("forged-1");
    expect(job?.attemptsMade).toBe(1);
    expect(await job?.getState()).toBe("failed");
    expect(job?.failedReason).toMatch(/malformed job/);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(/malformed job/);
    expect(r.calls).toHaveLength(0);
  });
});

describe("building the jobs", () => {
  it("refuses a recipe name the job id cannot hold (a lone surrogate) at configuration time", () => {
    expect(() => enqueueRecipes([recording("bad\uD800name")], { queue })).toThrow(
      /\[auth-recipes\/bullmq\] .*recipe name/,
    );
    expect(() =>
      startRecipeWorker([recording("bad\uDC00")], { connection: redis.connection }),
    ).toThrow(/\[auth-recipes\/bullmq\] .*recipe name/);
  });

  const messages: Array<[string, () => unknown]> = [
    [
      "a message too deep to encode",
      () => {
        const message: Record<string, unknown> = { user: { id: "user_alice" } };
        let inner = message;
        for (let i = 0; i < 100_000; i++) {
          inner.nested = {};
          inner = inner.nested as Record<string, unknown>;
        }
        return message;
      },
    ],
    [
      "a message whose fields throw when read",
      () => ({
        get user(): never {
          throw new Error("a getter that throws");
        },
      }),
    ],
  ];

  it.each(messages)("%s falls back like an unreachable queue", async (_, make) => {
    const plain = recording("plain");
    const other = recording("other");
    const errors: RecipeError[] = [];
    const composed = composeEvents(
      [enqueueRecipes([plain, other], { queue, storedFields: ["nested"] })],
      { onError: (error) => void errors.push(error) },
    );
    await composed.createUser?.(make() as never);
    expect(plain.calls).toHaveLength(1);
    expect(other.calls).toHaveLength(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.cause).toBeInstanceOf(EnqueueError);
    expect(errors[0]?.message).toMatch(/could not enqueue .*ran plain, other in-process/);
    expect(await queue.count()).toBe(0);
  });
});

describe("the dead-letter tools and jobs that are not ours", () => {
  async function failOne(): Promise<void> {
    const bad = recording("bad", ["createUser"], () => {
      throw new Error("refused");
    });
    const errors: RecipeError[] = [];
    const worker = startRecipeWorker([bad], {
      connection: redis.connection,
      onError: (e) => void errors.push(e),
    });
    await composeEvents([enqueueRecipes([bad], { queue })]).createUser?.(
      defaultMessage("createUser"),
    );
    await waitFor(() => errors.length === 1, 10_000, "the failure");
    await worker.close();
  }

  /** Jobs another producer added and its own worker failed: data that is not a recipe job's. */
  async function foreignFailed(datas: unknown[]): Promise<void> {
    for (const [index, data] of datas.entries())
      await queue.add("other-producer", data, { jobId: `foreign-${index}` });
    const other = new Worker(
      "auth-recipes",
      async () => {
        throw new Error("not ours");
      },
      { connection: redis.connection },
    );
    await waitFor(
      async () => (await queue.getFailedCount()) === datas.length + 1,
      10_000,
      "the foreign jobs to fail",
    );
    await other.close();
  }

  it("skips failed jobs whose data is null or not a recipe job's", async () => {
    await failOne();
    await foreignFailed([null, { recipe: 7, event: "createUser" }, "a string"]);
    expect(await queue.getFailedCount()).toBe(4);
    const listed = await listFailedJobs(queue);
    expect(listed.map((job) => job.recipe)).toEqual(["bad"]);
    const retried = await retryFailedJobs(queue);
    expect(retried).toHaveLength(1);
    // The foreign jobs are left where they were.
    expect(await queue.getFailedCount()).toBe(3);
    expect(await findUserJobs(queue, "user_alice")).toHaveLength(1);
  });

  it("limit: 0 lists and retries nothing", async () => {
    await failOne();
    expect(await listFailedJobs(queue, { limit: 0 })).toEqual([]);
    expect(await retryFailedJobs(queue, { limit: 0 })).toEqual([]);
    expect(await queue.getFailedCount()).toBe(1);
    expect(await listFailedJobs(queue, { limit: 1 })).toHaveLength(1);
    await expect(listFailedJobs(queue, { limit: -1 })).rejects.toThrow(RangeError);
  });

  it("finds a user's jobs by a numeric id, as the kit's usableUserId reads ids", async () => {
    const r = recording("r");
    await enqueueRecipes([r], { queue }).events.createUser?.(
      { user: { id: 42, email: "n@example.test" } } as never,
      {
        event: "createUser",
        recipe: "bullmq",
        attempt: 1,
        deadline: Date.now() + 5_000,
        signal: new AbortController().signal,
        dispatchId: "numeric",
      },
    );
    expect((await findUserJobs(queue, 42)).map((job) => job.recipe)).toEqual(["r"]);
    expect((await findUserJobs(queue, "42")).map((job) => job.recipe)).toEqual(["r"]);
  });
});
