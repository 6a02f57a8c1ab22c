// The `auth-recipes-jobs` bin against what a shell can point it at: a Redis that never answers, a
// database that does not exist, a queue that holds other producers' jobs. One line, a non-zero exit.
import { spawn } from "node:child_process";
import { type RedisServer, startRedisServer } from "@auth-recipes/testing";
import { type Queue, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { producerQueue, redisClient, waitFor } from "./helpers.ts";

vi.setConfig({ testTimeout: 60_000 });

const root = new URL("..", import.meta.url).pathname;
let redis: RedisServer;
let queue: Queue;
let client: Redis;

beforeAll(async () => {
  redis = await startRedisServer();
  queue = producerQueue(redis);
  client = redisClient(redis);
});
afterEach(async () => {
  await queue.obliterate({ force: true });
});
afterAll(async () => {
  await queue.close();
  client.disconnect();
  await redis.close();
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function bin(args: string[], url = redis.url): Promise<Run> {
  const started = Date.now();
  const child = spawn(
    process.execPath,
    ["--conditions=@auth-recipes/source", "--import", "tsx", "src/cli.ts", ...args],
    {
      cwd: root,
      env: { ...process.env, AUTH_RECIPES_REDIS_URL: url },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
  // A hung bin is killed, so that the test reports it instead of timing out.
  const killer = setTimeout(() => child.kill("SIGKILL"), 40_000);
  return new Promise((resolve) =>
    child.on("exit", (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    }),
  );
}

/** One line on stderr, prefixed, and no stack trace. */
function expectOneLine(run: Run, pattern: RegExp): void {
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(/^auth-recipes-jobs: [^\n]+\n$/);
  expect(run.stderr).toMatch(pattern);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

describe("auth-recipes-jobs", () => {
  it("fails with one line within its bound when Redis accepts the connection and never answers", async () => {
    // What starting the bin costs on this machine (a refused connection fails at once): the bound is on top.
    const startup = (await bin(["failed"], "redis://127.0.0.1:1")).ms;
    const pid = Number(/process_id:(\d+)/.exec(await client.info("server"))?.[1]);
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, "SIGSTOP");
    try {
      const run = await bin(["failed"]);
      expectOneLine(run, /did not answer within 5 s/);
      // The documented bound is 5 s to connect: past starting the process, it ends within it (and slack).
      expect(run.ms).toBeGreaterThanOrEqual(5_000);
      expect(run.ms - startup).toBeLessThan(5_000 + 4_000);
    } finally {
      process.kill(pid, "SIGCONT");
    }
  });

  it.each([
    ["/16", /database 16/],
    ["/99", /database 99/],
    ["/-1", /database/],
    ["/1.5", /database/],
    ["/abc", /database/],
    ["/1/2", /database/],
  ])("refuses the database %s with one line, acting on no database", async (path, pattern) => {
    await queue.add("r:createUser", { event: "createUser", recipe: "r", dispatchId: "d" });
    const before = await client.dbsize();
    for (const command of ["failed", "retry"]) {
      const run = await bin([command, "--redis", `${redis.url}${path}`]);
      expectOneLine(run, pattern);
      expect(run.stdout).toBe("");
    }
    expect(await client.dbsize()).toBe(before);
  });

  it("uses a database that exists", async () => {
    const run = await bin(["failed", "--json", "--redis", `${redis.url}/3`]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([]);
  });

  it("skips failed jobs that are not recipe jobs, and counts them", async () => {
    await queue.add("other", null, { jobId: "foreign-null" });
    await queue.add("other", { recipe: 1 }, { jobId: "foreign-shape" });
    const other = new Worker(
      "auth-recipes",
      async () => {
        throw new Error("not ours");
      },
      { connection: redis.connection },
    );
    await waitFor(async () => (await queue.getFailedCount()) === 2, 10_000, "two failed jobs");
    await other.close();
    const failed = await bin(["failed"]);
    expect(failed.code).toBe(0);
    expect(failed.stdout).toBe("");
    expect(failed.stderr).toMatch(/0 failed job\(s\); 2 not recipe jobs, skipped/);
    const retried = await bin(["retry"]);
    expect(retried.code).toBe(0);
    expect(retried.stdout).toContain("retried 0 job(s)");
    expect(retried.stderr).toMatch(/2 not recipe jobs, skipped/);
    expect(await queue.getFailedCount()).toBe(2);
  });
});
