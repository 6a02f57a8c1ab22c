// Section 6's moving parts: a redis-server of the bench's own (Debian's package; a free port, a temporary
// directory, the append-only file on) and the web and worker child processes.
import { type ChildProcess, fork, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Queue } from "bullmq";
import type { ChildInput, WebOutput } from "./queue-child.ts";

/** A redis-server process of the bench's own. */
export interface RedisProcess {
  port: number;
  start(): Promise<void>;
  stop(): Promise<void>;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** A redis-server with the append-only file on, restartable on its port and directory. */
export async function startRedis(): Promise<RedisProcess> {
  const dir = mkdtempSync(join(tmpdir(), "auth-recipes-bench-redis-"));
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = () =>
    new Promise<void>((resolve, reject) => {
      const args = [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--dir",
        dir,
        "--save",
        "",
        "--appendonly",
        "yes",
      ];
      const server = spawn(process.env.REDIS_SERVER ?? "redis-server", args, {
        stdio: ["ignore", "pipe", "ignore"],
      });
      child = server;
      let output = "";
      server.stdout?.on("data", (chunk: Buffer) => {
        output += chunk;
        if (output.includes("Ready to accept connections")) resolve();
      });
      server.on("error", reject);
      server.on("exit", (code) => reject(new Error(`redis-server exited (${code})`)));
    });
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    await new Promise((resolve) => {
      running.once("exit", resolve);
      running.kill("SIGTERM");
    });
  };
  await start();
  return {
    port,
    start,
    stop,
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

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
