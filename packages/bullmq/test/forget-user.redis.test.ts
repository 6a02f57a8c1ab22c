// forgetUser on a real redis-server: every kept job about one user goes, in every state but active,
// their pending delayed recipes are cancelled, and no key or value in Redis holds their email after;
// another user's jobs stay. The CLI's forget command does the same.
import { spawn } from "node:child_process";
import { composeEvents } from "@auth-recipes/core";
import { events, type RedisServer, startRedisServer, users } from "@auth-recipes/testing";
import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { delayed, enqueueRecipes, forgetUser, startRecipeWorker } from "../src/index.ts";
import { userIndexKey } from "../src/user-index.ts";
import {
  everythingStored,
  producerQueue,
  recording,
  redisClient,
  upstreamError,
  waitFor,
} from "./helpers.ts";

vi.setConfig({ testTimeout: 60_000 });

const root = new URL("..", import.meta.url).pathname;
let redis: RedisServer;
let queue: Queue;
let client: Redis;

// A numeric id, as an adapter with integer keys gives it.
const numeric = { ...users.bob, id: 42 as unknown as string, email: "forty-two@example.test" };
const mail = recording("welcome-email");
const stripe = recording("stripe-customer", ["createUser"], () => {
  throw upstreamError(400);
});
const track = recording("segment", ["createUser", "signIn", "signOut"]);
const tips = delayed(recording("welcome-email"), { days: 3 }, { name: "tips-email" });
const recipes = [mail, stripe, track, tips];

beforeAll(async () => {
  redis = await startRedisServer();
  queue = producerQueue(redis);
  client = redisClient(redis);
});
afterEach(async () => {
  await client.flushall();
});
afterAll(async () => {
  client.disconnect();
  await queue.close();
  await redis.close();
});

/**
 * Alice, Bob and user 42 sign up and in: their welcome and tracking jobs complete, Stripe's fail (dead
 * letters), the tips emails wait in the delayed set; then, with no worker, one more sign-out each waits.
 */
async function history(): Promise<void> {
  const web = composeEvents([enqueueRecipes(recipes, { queue })]);
  const worker = startRecipeWorker(recipes, { connection: redis.connection, concurrency: 4 });
  for (const user of [users.alice, users.bob, numeric]) {
    await web.createUser?.(events.createUser(user));
    await web.signIn?.(events.signInOAuth(user));
  }
  await waitFor(
    async () => {
      const counts = await queue.getJobCounts("completed", "failed", "delayed");
      return counts.completed === 9 && counts.failed === 3 && counts.delayed === 3;
    },
    10_000,
    "the jobs to settle",
  );
  await worker.close();
  for (const user of [users.alice, users.bob, numeric]) {
    await web.signOut?.(events.signOutWithToken(user));
  }
  expect(await queue.getJobCounts("waiting")).toEqual({ waiting: 3 });
}

/** The ids of the jobs whose message is about the user, in any state. */
async function jobsOf(userId: string | number): Promise<string[]> {
  const jobs = await queue.getJobs(["waiting", "delayed", "active", "completed", "failed"]);
  return jobs
    .filter((job) => {
      const message = job.data.message as { user?: { id?: unknown }; token?: { sub?: unknown } };
      return String(message.user?.id ?? message.token?.sub) === String(userId);
    })
    .map((job) => String(job.id))
    .sort();
}

describe("forgetUser", () => {
  it("removes the user's jobs in every state, cancels their delayed recipes, and leaves no trace of their email", async () => {
    await history();
    const bobs = await jobsOf(users.bob.id);
    expect(await jobsOf(users.alice.id)).toHaveLength(6);
    expect(await everythingStored(client)).toContain(users.alice.email);

    // 4 for the sign-up, 1 sign-in, 1 sign-out: 3 completed, 1 failed, 1 delayed, 1 waiting.
    expect(await forgetUser(queue, users.alice.id)).toEqual({ removed: 6, active: 0 });
    expect(await jobsOf(users.alice.id)).toEqual([]);
    const stored = await everythingStored(client);
    expect(stored).not.toContain(users.alice.email);
    expect(stored.toLowerCase()).not.toContain("alice@");
    expect(await client.exists(userIndexKey(queue, users.alice.id))).toBe(0);

    // Bob's jobs and email stay, and their delayed tips email still runs.
    expect(await jobsOf(users.bob.id)).toEqual(bobs);
    expect(stored).toContain(users.bob.email);
    expect(await queue.getJobCounts("delayed")).toEqual({ delayed: 2 });

    // Nothing left to forget: a second call removes nothing.
    expect(await forgetUser(queue, users.alice.id)).toEqual({ removed: 0, active: 0 });
  });

  it("takes a numeric user id, matching the number as text", async () => {
    await history();
    expect(await forgetUser(queue, 42)).toEqual({ removed: 6, active: 0 });
    expect(await everythingStored(client)).not.toContain(numeric.email);
    expect(await jobsOf(users.alice.id)).toHaveLength(6);
  });

  it("counts an active job, which finishes, and removes it once done when asked to wait", async () => {
    let release: () => void = () => {};
    const running = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = recording("slow", ["createUser"], () => running);
    const web = composeEvents([enqueueRecipes([slow], { queue })]);
    const worker = startRecipeWorker([slow], { connection: redis.connection });
    await web.createUser?.(events.createUser(users.alice));
    await waitFor(() => slow.calls.length === 1, 5_000, "the job to start");
    expect(await forgetUser(queue, users.alice.id)).toEqual({ removed: 0, active: 1 });
    // The active job is still indexed, so a later call finds it.
    expect(await client.scard(userIndexKey(queue, users.alice.id))).toBe(1);
    setTimeout(release, 300);
    expect(await forgetUser(queue, users.alice.id, { waitMs: 5_000 })).toEqual({
      removed: 1,
      active: 0,
    });
    expect(await everythingStored(client)).not.toContain(users.alice.email);
    await worker.close();
  });

  it("finds jobs enqueued without the index when asked to scan every job", async () => {
    await queue.add("welcome-email:createUser", {
      event: "createUser",
      recipe: "welcome-email",
      dispatchId: "legacy",
      message: events.createUser(users.alice),
    });
    expect(await forgetUser(queue, users.alice.id)).toEqual({ removed: 0, active: 0 });
    expect(await forgetUser(queue, users.alice.id, { scanAll: true })).toEqual({
      removed: 1,
      active: 0,
    });
    expect(await everythingStored(client)).not.toContain(users.alice.email);
  });

  it("indexes jobs enqueued after Redis lost its scripts (a restart), sending the script whole", async () => {
    const web = composeEvents([enqueueRecipes([mail], { queue })]);
    await web.createUser?.(events.createUser(users.alice));
    await client.script("FLUSH");
    await web.createUser?.(events.createUser(users.bob));
    await web.createUser?.(events.createUser(users.alice));
    expect(await client.scard(userIndexKey(queue, users.alice.id))).toBe(2);
    expect(await forgetUser(queue, users.bob.id)).toEqual({ removed: 1, active: 0 });
    expect(await forgetUser(queue, users.alice.id)).toEqual({ removed: 2, active: 0 });
    expect(await queue.count()).toBe(0);
  });

  it("throws a TypeError for a missing queue or user id", async () => {
    await expect(forgetUser(queue, "")).rejects.toThrow(/userId must be a non-empty string/);
    await expect(forgetUser(null as never, "user_alice")).rejects.toThrow(TypeError);
    await expect(forgetUser(queue, "u", { waitMs: -1 })).rejects.toThrow(RangeError);
  });

  it("keeps a user's index small: ids of jobs BullMQ removed are pruned by later enqueues", async () => {
    const quick = recording("quick", ["signIn"]);
    const web = composeEvents([enqueueRecipes([quick], { queue, dedupeWindowMs: 1 })]);
    const worker = startRecipeWorker([quick], { connection: redis.connection, concurrency: 8 });
    for (let index = 0; index < 80; index++) {
      await web.signIn?.(events.signInOAuth(users.alice));
    }
    await waitFor(() => quick.calls.length === 80, 10_000, "80 sign-ins");
    // BullMQ removes completed jobs past their age when a later job completes.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await web.signIn?.(events.signInOAuth(users.alice));
    await waitFor(() => quick.calls.length === 81, 5_000, "one more sign-in");
    await waitFor(async () => (await queue.getCompletedCount()) < 10, 5_000, "the cleanup");
    await web.signIn?.(events.signInOAuth(users.alice));
    await worker.close();
    const key = userIndexKey(queue, users.alice.id);
    expect(await client.scard(key)).toBeLessThanOrEqual(34);
    expect(await client.pttl(key)).toBeGreaterThan(29 * 86_400_000);
  });
});

function bin(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(
    process.execPath,
    ["--conditions=@auth-recipes/source", "--import", "tsx", "src/cli.ts", ...args],
    {
      cwd: root,
      env: { ...process.env, AUTH_RECIPES_REDIS_URL: redis.url },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, stdout, stderr })));
}

describe("auth-recipes-jobs forget", () => {
  it("forgets one user from a shell, and says what it removed", async () => {
    await history();
    const bobs = await jobsOf(users.bob.id);
    const result = await bin(["forget", users.alice.id]);
    expect(result).toMatchObject({ code: 0, stdout: "removed 6 job(s), 0 still active\n" });
    expect(await everythingStored(client)).not.toContain(users.alice.email);
    expect(await jobsOf(users.bob.id)).toEqual(bobs);
    const json = await bin(["forget", "42", "--json"]);
    expect(JSON.parse(json.stdout)).toEqual({ removed: 6, active: 0 });
    expect((await bin(["forget"])).code).toBe(1);
  });
});
