// Section 6: durable dispatch (@auth-recipes/bullmq) against in-process dispatch, side by side in one run.

import { enqueueRecipes } from "@auth-recipes/bullmq";
import { composeEvents } from "@auth-recipes/core";
import { startRedisServer } from "@auth-recipes/testing";
import { Queue } from "bullmq";
import { runChaos } from "./queue-chaos.ts";
import type { WebOutput } from "./queue-child.ts";
import { child, stopChild, waitCompleted } from "./queue-processes.ts";
import {
  benchUser,
  closeClients,
  closeServices,
  eachService,
  endpointsOf,
  makeClients,
  makeRecipes,
  startServices,
} from "./services.ts";
import { ratios, type Summary, summarize } from "./stats.ts";

export interface QueueResult {
  delayMs: number;
  /** createUser until it resolved, in the web process: the four recipes in-process, or enqueued. */
  inProcessMs: Summary;
  enqueuedMs: Summary;
  /** The web process's CPU per sign-up, in ms, per round. */
  inProcessCpuMs: Summary;
  enqueuedCpuMs: Summary;
  /** In-process CPU over enqueued CPU, per round. */
  cpuRatio: Summary;
  /** Events (sign-ups of four jobs each) per second, with one and two worker processes. */
  throughput: Array<{
    workers: number;
    signups: number;
    seconds: number;
    signupsPerSecond: number;
  }>;
  scaling: number;
  chaos?: ChaosResult;
  errors: string[];
}

export interface ChaosResult {
  signups: number;
  workerKills: number;
  redisRestarts: number;
  /** Sign-ups whose enqueue fell back to in-process (Redis was restarting). */
  inlineFallbacks: number;
  /** Recipes whose in-process fallback run failed, per recipe: reported to onError, not queued. */
  inlineFailed: Record<string, number>;
  /** Jobs that completed as skipped (the recipe chose not to act), per recipe. */
  skipped: Record<string, number>;
  /** Jobs that failed for good, per recipe: kept in the failed set, to retry (not lost, but not delivered). */
  deadLetters: Record<string, number>;
  /** Per service: users with no delivery, and deliveries beyond one per user. */
  services: Array<{ service: string; expected: number; lost: number; duplicates: number }>;
  seconds: number;
}

/** Section 6. */
export async function benchQueue(options: {
  rounds: number;
  /**
   * Sign-ups each web process makes before it measures, 16 at a time (a server that has been up), and
   * again as the window its CPU is measured over.
   */
  warmup: number;
  signups: number;
  delayMs: number;
  throughputSignups: number;
  chaosSignups: number;
}): Promise<QueueResult> {
  const [redis, services] = await Promise.all([startRedisServer(), startServices()]);
  const endpoints = endpointsOf(services);
  const queue = new Queue("auth-recipes", { connection: { host: "127.0.0.1", port: redis.port } });
  queue.on("error", () => {});
  const errors: string[] = [];
  try {
    // Latency and CPU: a web process of its own per run, in-process and enqueued in turn.
    eachService(services, (emulator) => emulator.delay(options.delayMs));
    const runs = { inline: [] as WebOutput[], enqueue: [] as WebOutput[] };
    for (let round = 0; round < options.rounds; round++) {
      for (const mode of round % 2
        ? (["enqueue", "inline"] as const)
        : (["inline", "enqueue"] as const)) {
        const { reply } = child({
          role: "web",
          endpoints,
          redisPort: redis.port,
          mode,
          warmup: options.warmup,
          signups: options.signups,
          prefix: `${mode}-${round}`,
        });
        const answer = await reply;
        if (!answer.output) throw new Error(`the web process failed: ${answer.error}`);
        runs[mode].push(answer.output);
        errors.push(...answer.output.errors.slice(0, 3));
      }
      await queue.obliterate({ force: true });
    }
    eachService(services, (emulator) => emulator.delay(0));
    services.smtp.reset();
    const throughput: QueueResult["throughput"] = [];
    for (const workers of [1, 2])
      throughput.push(
        await measureThroughput(queue, endpoints, redis.port, workers, options.throughputSignups),
      );
    const chaos =
      options.chaosSignups > 0
        ? await runChaos(queue, services, redis, options.chaosSignups)
        : undefined;
    const cpu = (list: WebOutput[]) => list.map((run) => run.cpuMsPerSignup);
    return {
      delayMs: options.delayMs,
      inProcessMs: summarize(runs.inline.flatMap((run) => run.latenciesMs)),
      enqueuedMs: summarize(runs.enqueue.flatMap((run) => run.latenciesMs)),
      inProcessCpuMs: summarize(cpu(runs.inline)),
      enqueuedCpuMs: summarize(cpu(runs.enqueue)),
      cpuRatio: ratios(cpu(runs.inline), cpu(runs.enqueue)),
      throughput,
      scaling: throughput[1]!.signupsPerSecond / throughput[0]!.signupsPerSecond,
      ...(chaos ? { chaos } : {}),
      errors,
    };
  } finally {
    await queue.close();
    await Promise.all([redis.close(), closeServices(services)]);
  }
}

/** Enqueues `signups` while the queue is paused, starts the workers, and times them through every job. */
async function measureThroughput(
  queue: Queue,
  endpoints: ReturnType<typeof endpointsOf>,
  redisPort: number,
  workers: number,
  signups: number,
) {
  await queue.obliterate({ force: true });
  await queue.pause();
  const clients = makeClients(endpoints, "configured");
  const recipes = makeRecipes(clients, { reuseExisting: false });
  const web = composeEvents([enqueueRecipes(recipes, { queue })]).createUser!;
  for (let i = 0; i < signups; i++) await web({ user: benchUser(`tp${workers}-${i}`) });
  await closeClients(clients);
  const started = Array.from({ length: workers }, () =>
    child({ role: "worker", endpoints, redisPort, concurrency: 16 }),
  );
  await Promise.all(started.map((worker) => worker.reply));
  const at = performance.now();
  await queue.resume();
  await waitCompleted(queue, signups * recipes.length, 120_000);
  const seconds = (performance.now() - at) / 1000;
  await Promise.all(started.map((worker) => stopChild(worker.process)));
  return { workers, signups, seconds, signupsPerSecond: signups / seconds };
}
