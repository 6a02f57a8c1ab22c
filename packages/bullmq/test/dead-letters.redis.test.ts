import { spawn } from "node:child_process";
import { composeEvents, type RecipeError } from "@auth-recipes/core";
import { events, type RedisServer, startRedisServer, users } from "@auth-recipes/testing";
import type { Queue } from "bullmq";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  enqueueRecipes,
  findUserJobs,
  listFailedJobs,
  retryFailedJobs,
  startRecipeWorker,
} from "../src/index.ts";
import { producerQueue, recording, upstreamError, waitFor } from "./helpers.ts";

vi.setConfig({ testTimeout: 60_000 });

const root = new URL("..", import.meta.url).pathname;
let redis: RedisServer;
let queue: Queue;
let healthy = false;
const stripe = recording("stripe-customer", ["createUser"], () => {
  if (!healthy) throw upstreamError(400);
});
const mail = recording("welcome-email", ["createUser"], () => {
  if (!healthy) throw upstreamError(400);
});
const audit = recording("audit", ["createUser", "signOut"]);
const recipes = [stripe, mail, audit];

beforeAll(async () => {
  redis = await startRedisServer();
  queue = producerQueue(redis);
});
afterEach(async () => {
  healthy = false;
  await queue.obliterate({ force: true });
});
afterAll(async () => {
  await queue.close();
  await redis.close();
});

/** Two users sign up while Stripe and the mailer refuse: four dead letters, two completed audit jobs. */
async function failSignUps(): Promise<void> {
  const errors: RecipeError[] = [];
  const worker = startRecipeWorker(recipes, {
    connection: redis.connection,
    onError: (error) => void errors.push(error),
  });
  const web = composeEvents([enqueueRecipes(recipes, { queue })]);
  await web.createUser?.(events.createUser(users.alice));
  await web.createUser?.(events.createUser(users.bob));
  await web.signOut?.(events.signOutWithToken(users.alice));
  await waitFor(() => errors.length === 4, 10_000, "four failures");
  await waitFor(
    async () => (await queue.getCompletedCount()) === 3,
    10_000,
    "three completed jobs",
  );
  await worker.close();
}

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

describe("dead letters", () => {
  it("lists failed jobs, by recipe, and retries them with their dispatchId", async () => {
    await failSignUps();
    const failed = await listFailedJobs(queue);
    expect(failed.map((job) => job.recipe).sort()).toEqual([
      "stripe-customer",
      "stripe-customer",
      "welcome-email",
      "welcome-email",
    ]);
    expect(
      failed.every((job) => job.failedReason.includes("[redacted]") && job.attempts === 1),
    ).toBe(true);
    expect(
      (await listFailedJobs(queue, { recipe: "welcome-email" })).map((job) => job.userId).sort(),
    ).toEqual(["user_alice", "user_bob"]);

    healthy = true;
    const worker = startRecipeWorker(recipes, { connection: redis.connection });
    const retried = await retryFailedJobs(queue, { recipe: "stripe-customer" });
    expect(retried).toHaveLength(2);
    await waitFor(
      () => stripe.calls.filter((call) => call.context.attempt === 1).length === 4,
      10_000,
      "the retries",
    );
    await worker.close();
    // The retried runs carry their original dispatch ids.
    const [first, second, ...again] = stripe.calls;
    expect(again.map((call) => call.context.dispatchId).sort()).toEqual(
      [first?.context.dispatchId, second?.context.dispatchId].sort(),
    );
    expect((await listFailedJobs(queue)).map((job) => job.recipe)).toEqual([
      "welcome-email",
      "welcome-email",
    ]);
  });

  it("finds every job of one user, in every state", async () => {
    await failSignUps();
    const jobs = await findUserJobs(queue, "user_alice");
    expect(jobs.map((job) => `${job.recipe}:${job.event}:${job.state}`).sort()).toEqual([
      "audit:createUser:completed",
      "audit:signOut:completed",
      "stripe-customer:createUser:failed",
      "welcome-email:createUser:failed",
    ]);
    expect(await findUserJobs(queue, "user_nobody")).toEqual([]);
  });

  it("the bin lists failed jobs and retries one recipe's, reading the connection from AUTH_RECIPES_REDIS_URL", async () => {
    await failSignUps();
    const listed = await bin(["failed", "--json"]);
    expect(listed.code).toBe(0);
    expect(
      (JSON.parse(listed.stdout) as Array<{ recipe: string }>).map((job) => job.recipe).sort(),
    ).toEqual(["stripe-customer", "stripe-customer", "welcome-email", "welcome-email"]);
    const text = await bin(["failed", "--recipe", "welcome-email"]);
    expect(text.stdout.trim().split("\n")).toHaveLength(2);
    expect(text.stdout).not.toContain("alice@example.test");
    const retried = await bin(["retry", "--recipe", "welcome-email"]);
    expect(retried.stdout).toContain("retried 2 job(s)");
    expect(await queue.getWaitingCount()).toBe(2);
    expect(await queue.getFailedCount()).toBe(2);
  });

  it("the bin fails clearly when Redis is not there, and on an unknown command", async () => {
    const down = await bin(["failed", "--redis", "redis://127.0.0.1:1"]);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/auth-recipes-jobs: .*(ECONNREFUSED|connect|closed)/i);
    const unknown = await bin(["frobnicate"]);
    expect(unknown.code).toBe(2);
  });
});
