// Queue mode's two extra processes, for `npm run demo -- --queue` and the browser test: a local redis-server on
// a free port with a temporary directory, and the worker (scripts/worker.ts).
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { join } from "node:path";
import { APP_DIR, forEachLine, ownChild, ownPort } from "./processes.ts";

/** A redis-server this process started. */
export interface LocalRedis {
  port: number;
  /** `redis://127.0.0.1:PORT`: the app's and the worker's AUTH_RECIPES_REDIS_URL. */
  url: string;
  /** Stops it (it has exited: nothing is left listening) and removes its directory. */
  stop(): Promise<void>;
}

/** The redis-server to run: REDIS_SERVER, or the one on PATH, or undefined when none is installed. */
export function redisServerBin(): string | undefined {
  if (process.env.REDIS_SERVER) return process.env.REDIS_SERVER;
  try {
    return (
      execFileSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" }).trim() ||
      undefined
    );
  } catch {
    return undefined;
  }
}

/** What to tell someone who has no redis-server. */
export const INSTALL_REDIS =
  "queue mode needs redis-server: `sudo apt-get install redis-server` (Debian, Ubuntu) or `brew install redis` (macOS), or set AUTH_RECIPES_REDIS_URL to a Redis you run";

/**
 * Starts redis-server on a free loopback port, in a new temporary directory, with the append-only file on
 * (a restart keeps the jobs) and `noeviction` (BullMQ's keys must never be evicted).
 */
export async function startLocalRedis(bin = redisServerBin()): Promise<LocalRedis> {
  if (!bin) throw new Error(INSTALL_REDIS);
  // Imported here, not at the top: `npm run demo` loads this file before its build step makes
  // @auth-recipes/testing's dist/, and on a fresh clone a static import crashes before anything runs.
  const { startRedisServer } = await import("@auth-recipes/testing");
  const redis = await startRedisServer({ command: bin });
  ownPort(redis.port);
  return { port: redis.port, url: redis.url, stop: () => redis.close() };
}

/** A running scripts/worker.ts. */
export interface WorkerProcess {
  child: ChildProcess;
  /** Every line it printed, in order. */
  log: string[];
  /** Resolves once it printed that it runs (its connection to Redis is being made). */
  ready: Promise<void>;
  /** SIGTERM (it finishes or hands back its jobs), SIGKILL after `graceMs`; resolves when it is gone. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts the worker with tsx, the app's variables over the current environment. */
export function startWorker(
  env: Record<string, string | undefined>,
  onLine?: (line: string) => void,
): WorkerProcess {
  const child = spawn(process.execPath, ["--import", "tsx", join("scripts", "worker.ts")], {
    cwd: APP_DIR,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  ownChild(child);
  const log: string[] = [];
  let markReady: () => void = () => {};
  let markFailed: (error: Error) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    markFailed = reject;
  });
  ready.catch(() => {});
  forEachLine(child, (line) => {
    log.push(line);
    onLine?.(line);
    if (line.startsWith("[worker] running")) markReady();
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.once("exit", (code, signal) =>
    markFailed(new Error(`the worker exited (${signal ?? code}):\n${log.join("\n")}`)),
  );
  return {
    child,
    log,
    ready,
    async stop(graceMs = 12_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
