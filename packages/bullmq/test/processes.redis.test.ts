import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { composeEvents } from "@auth-recipes/core";
import { defaultMessage, type RedisServer, startRedisServer } from "@auth-recipes/testing";
import type { Queue } from "bullmq";
import { afterAll, afterEach, beforeAll, expect, it, vi } from "vitest";
import { enqueueRecipes, type RecipeJobData } from "../src/index.ts";
import { producerQueue, recording, waitFor } from "./helpers.ts";

// Each test starts Node processes through tsx: seconds each on a busy machine.
vi.setConfig({ testTimeout: 60_000 });

const root = new URL("..", import.meta.url).pathname;
let redis: RedisServer;
let queue: Queue;
let dir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  queue = producerQueue(redis);
  dir = mkdtempSync(join(tmpdir(), "auth-recipes-workers-"));
});
afterEach(async () => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await queue.obliterate({ force: true });
});
afterAll(async () => {
  await queue.close();
  await redis.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Worker {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function startWorker(env: Record<string, string | number>): Promise<Worker> {
  const child = spawn(
    process.execPath,
    ["--conditions=@auth-recipes/source", "--import", "tsx", "test/fixtures/worker-process.ts"],
    {
      cwd: root,
      env: {
        ...process.env,
        REDIS_PORT: String(redis.port),
        ...Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)])),
      },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  children.push(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  let output = "";
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk;
      if (output.includes("ready")) resolve();
    });
    void exited.then(() => reject(new Error(`the worker exited before it was ready: ${output}`)));
  });
  return { child, exited };
}

function lines(file: string): string[][] {
  try {
    return readFileSync(file, "utf8")
      .trim()
      .split("\n")
      .filter(Boolean)
      .map((line) => line.split(" "));
  } catch {
    return [];
  }
}

const web = () => composeEvents([enqueueRecipes([recording("slow")], { queue })]);
// Short locks, so that a killed worker's job is seen stalled in about a second, not 30.
const quickStalls = { LOCK_MS: 1_000, STALLED_MS: 500 };

it("runs again, in another worker, a job whose worker was SIGKILLed mid-handler, with the same dispatchId", async () => {
  const log = join(dir, "kill.log");
  const first = await startWorker({ ...quickStalls, LOG_FILE: log, HANG_MS: 60_000 });
  await web().createUser?.(defaultMessage("createUser"));
  await waitFor(
    () => lines(log).some(([what]) => what === "start"),
    10_000,
    "the first worker to start the job",
  );
  first.child.kill("SIGKILL");
  await first.exited;
  const second = await startWorker({ ...quickStalls, LOG_FILE: log, HANG_MS: 20 });
  const done = await waitFor(
    () => lines(log).find(([what]) => what === "done"),
    15_000,
    "the second worker to run it",
  );
  const [started] = lines(log);
  expect(done?.[1]).toBe(started?.[1]); // the same dispatchId
  expect(done?.[3]).toBe(String(second.child.pid));
  expect(started?.[3]).toBe(String(first.child.pid));
  await waitFor(async () => (await queue.getCompletedCount()) === 1, 5_000, "the job to complete");
  second.child.kill("SIGTERM");
  await second.exited;
});

it("on SIGTERM, close() lets the running handler finish and the process exits by itself", async () => {
  const log = join(dir, "drain.log");
  const worker = await startWorker({ LOG_FILE: log, HANG_MS: 500 });
  await web().createUser?.(defaultMessage("createUser"));
  await waitFor(() => lines(log).some(([what]) => what === "start"), 10_000, "the job to start");
  const stopped = Date.now();
  worker.child.kill("SIGTERM");
  const exit = await worker.exited;
  // No open handle: the process ends without process.exit(), soon after its handler.
  expect(exit).toEqual({ code: 0, signal: null });
  expect(Date.now() - stopped).toBeLessThan(5_000);
  expect(lines(log).map(([what]) => what)).toEqual(["start", "done"]);
  const [job] = await queue.getCompleted();
  expect((job?.data as RecipeJobData | undefined)?.recipe).toBe("slow");
});

it("close() gives up on a handler after closeTimeoutMs, and its job goes back to the queue", async () => {
  const log = join(dir, "bound.log");
  const worker = await startWorker({
    LOG_FILE: log,
    HANG_MS: 60_000,
    TIMEOUT_MS: 1_500,
    CLOSE_TIMEOUT_MS: 200,
  });
  await web().createUser?.(defaultMessage("createUser"));
  await waitFor(() => lines(log).some(([what]) => what === "start"), 10_000, "the job to start");
  const stopped = Date.now();
  worker.child.kill("SIGTERM");
  const exit = await worker.exited;
  expect(exit.code).toBe(0);
  expect(Date.now() - stopped).toBeLessThan(4_000);
  // Not failed: waiting for the next worker, the attempt counted.
  const [job] = await queue.getJobs(["waiting", "delayed"]);
  expect(job?.attemptsMade).toBe(1);
  expect(await queue.getFailedCount()).toBe(0);
});
