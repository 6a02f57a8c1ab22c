// Section 6's moving parts: the web and worker child processes (the redis-server of the bench's own is
// @auth-recipes/testing's startRedisServer: Debian's package, a free port, the append-only file on).
import { type ChildProcess, fork } from "node:child_process";
import type { Queue } from "bullmq";
import type { ChildInput, WebOutput } from "./queue-child.ts";

export function child(input: ChildInput): {
  process: ChildProcess;
  reply: Promise<{ output?: WebOutput; ready?: boolean; error?: string }>;
} {
  const process_ = fork(new URL("./queue-child.ts", import.meta.url).pathname, [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const reply = new Promise<{ output?: WebOutput; ready?: boolean; error?: string }>(
    (resolve, reject) => {
      process_.once("message", resolve as (message: unknown) => void);
      process_.once("exit", (code) =>
        reject(new Error(`a section 6 child exited with ${code} before answering`)),
      );
    },
  );
  reply.catch(() => {});
  process_.send(input);
  return { process: process_, reply };
}

export async function stopChild(worker: ChildProcess): Promise<void> {
  if (worker.exitCode !== null || worker.signalCode !== null) return;
  await new Promise((resolve) => {
    worker.once("exit", resolve);
    worker.kill("SIGTERM");
  });
}

export const sleep = (ms: number): Promise<unknown> =>
  new Promise((resolve) => setTimeout(resolve, ms));

export async function waitCompleted(queue: Queue, jobs: number, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while ((await queue.getCompletedCount()) + (await queue.getFailedCount()) < jobs) {
    if (Date.now() > until)
      throw new Error(`only part of ${jobs} jobs finished within ${timeoutMs} ms`);
    await sleep(20);
  }
}
