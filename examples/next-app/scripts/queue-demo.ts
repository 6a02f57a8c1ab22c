// `npm run demo -- --queue`: a local redis-server (or the Redis AUTH_RECIPES_REDIS_URL names) and the worker
// next to the app. A worker that dies (try `kill -9` on the pid the demo prints) is started again after a
// few seconds, so the jobs it held are seen to wait, then run.
import {
  INSTALL_REDIS,
  type LocalRedis,
  redisServerBin,
  startLocalRedis,
  startWorker,
  type WorkerProcess,
} from "./queue-processes.ts";

const RESTART_MS = 5_000;
/** A killed worker's jobs run again after its lock expires: short here, so the demo heals in seconds. */
const DEMO_LOCK_MS = "5000";

export interface QueueMode {
  /** The app's and the worker's variables for queue mode. */
  env: Record<string, string>;
  /** Starts the worker (and keeps it running) with the app's variables. */
  startWorker(env: Record<string, string>): void;
  /** Where the queue is and which process runs its jobs, for the demo's banner. */
  describe(): string;
  /** Stops the worker, then the redis-server it started; leaves no port open. */
  stop(): Promise<void>;
}

/**
 * Exits with what to install when queue mode cannot run here: the demo calls it before its build step,
 * so a missing redis-server is said at once rather than after a minute of building.
 */
export function checkQueueMode(): void {
  if (!process.env.AUTH_RECIPES_REDIS_URL?.trim() && !redisServerBin()) {
    console.error(`\nnpm run demo -- --queue: ${INSTALL_REDIS}.`);
    process.exit(1);
  }
}

/** Starts queue mode; after the build step, as it imports @auth-recipes/testing's build. */
export async function startQueueMode(step: (line: string) => void): Promise<QueueMode> {
  let redis: LocalRedis | undefined;
  let url = process.env.AUTH_RECIPES_REDIS_URL?.trim();
  if (!url) {
    checkQueueMode();
    step("starting redis-server (a temporary directory, a free port)");
    redis = await startLocalRedis();
    url = redis.url;
  }
  const env = {
    AUTH_RECIPES_REDIS_URL: url,
    AUTH_RECIPES_LOCK_MS: process.env.AUTH_RECIPES_LOCK_MS ?? DEMO_LOCK_MS,
  };
  let worker: WorkerProcess | undefined;
  let stopping = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = (appEnv: Record<string, string>) => {
    // AUTH_RECIPES_DEBUG as the app has it: one line per job, as the app prints one per event.
    const debug = { AUTH_RECIPES_DEBUG: process.env.AUTH_RECIPES_DEBUG ?? "1" };
    const started = startWorker({ ...appEnv, ...debug, ...env }, (line) => {
      if (line.trim()) console.log(`\x1b[2m[worker]\x1b[0m ${line.replace(/^\[worker\] /, "")}`);
    });
    worker = started;
    started.child.once("exit", (code, signal) => {
      if (stopping) return;
      console.error(
        `\x1b[2m[worker]\x1b[0m exited (${signal ?? `code ${code}`}); its jobs wait in Redis. Starting it again in ${RESTART_MS / 1000} s.`,
      );
      timer = setTimeout(() => run(appEnv), RESTART_MS);
    });
  };
  return {
    env,
    startWorker: run,
    describe: () =>
      `${redis ? `redis-server on ${url}` : "the Redis of AUTH_RECIPES_REDIS_URL"}; worker pid ${worker?.child.pid ?? "starting"} (kill -9 it to see jobs wait, then run)`,
    async stop() {
      stopping = true;
      clearTimeout(timer);
      await worker?.stop();
      await redis?.stop();
    },
  };
}
