// Section 6's processes: a web process that signs users up (in-process or enqueued) and measures its own
// latency and CPU, or a worker process that runs the recipes from the queue. Their CPU is their own: the
// emulators and Redis run elsewhere.

import { enqueueRecipes, startRecipeWorker } from "@auth-recipes/bullmq";
import { composeEvents } from "@auth-recipes/core";
import { Queue } from "bullmq";
import { benchUser, closeClients, type Endpoints, makeClients, makeRecipes } from "./services.ts";

export type ChildInput =
  | {
      role: "web";
      endpoints: Endpoints;
      redisPort: number;
      mode: "inline" | "enqueue";
      warmup: number;
      signups: number;
      prefix: string;
    }
  | {
      role: "worker";
      endpoints: Endpoints;
      redisPort: number;
      concurrency: number;
      lockMs?: number;
      stalledMs?: number;
      /** The worker's retry policy for recipes without their own, as an app would set it. */
      retry?: { retries: number; minDelayMs: number; maxDelayMs: number };
    };

export interface WebOutput {
  /** Each sign-up's createUser, until it resolved, in ms. */
  latenciesMs: number[];
  /** This process's CPU time (user + system) per sign-up, in ms, over `warmup` sign-ups after the warm-up. */
  cpuMsPerSignup: number;
  errors: string[];
}

const connection = (port: number) => ({ host: "127.0.0.1", port });

async function web(input: Extract<ChildInput, { role: "web" }>): Promise<WebOutput> {
  const clients = makeClients(input.endpoints, "configured");
  const recipes = makeRecipes(clients, { reuseExisting: false });
  const errors: string[] = [];
  const onError = (error: Error) => void errors.push(error.message);
  const queue = new Queue("auth-recipes", {
    connection: { ...connection(input.redisPort), enableOfflineQueue: false },
  });
  queue.on("error", () => {});
  await queue.waitUntilReady();
  const events = composeEvents(
    input.mode === "inline" ? recipes : [enqueueRecipes(recipes, { queue })],
    { onError },
  );
  const createUser = events.createUser!;
  // Sign-ups 16 at a time: quicker than one by one, and the same code runs.
  const batches = async (count: number, tag: string) => {
    for (let done = 0; done < count; done += 16) {
      await Promise.all(
        Array.from({ length: Math.min(16, count - done) }, (_, i) =>
          createUser({ user: benchUser(`${input.prefix}-${tag}-${done + i}`) }),
        ),
      );
    }
  };
  // Warm-up: connections, pools, and the JIT, which takes a few hundred calls to compile the enqueue
  // path (BullMQ's scripts, ioredis's encoding) and the SDKs' request code. What a server that has
  // been up for a while spends is the figure that matters.
  await batches(input.warmup, "warm");
  // CPU over as many sign-ups as the warm-up: measured over the 50 timed one by one (80 ms enqueued),
  // the window was too short for what a process does besides (GC, the JIT's background threads), and
  // enqueued CPU per sign-up read 2.5–2.8 ms against about 1.4 ms over 300.
  const cpu = process.cpuUsage();
  await batches(input.warmup, "cpu");
  const used = process.cpuUsage(cpu);
  const latenciesMs: number[] = [];
  for (let i = 0; i < input.signups; i++) {
    const started = performance.now();
    await createUser({ user: benchUser(`${input.prefix}-${i}`) });
    latenciesMs.push(performance.now() - started);
  }
  await queue.close();
  await closeClients(clients);
  return { latenciesMs, cpuMsPerSignup: (used.user + used.system) / 1000 / input.warmup, errors };
}

function worker(input: Extract<ChildInput, { role: "worker" }>): void {
  const clients = makeClients(input.endpoints, "configured");
  const running = startRecipeWorker(makeRecipes(clients, { reuseExisting: false }), {
    connection: connection(input.redisPort),
    concurrency: input.concurrency,
    ...(input.lockMs ? { lockDuration: input.lockMs } : {}),
    ...(input.stalledMs ? { stalledInterval: input.stalledMs } : {}),
    ...(input.retry ? { retry: input.retry } : {}),
    onError: () => {},
  });
  running.worker.on("error", () => {});
  void running.worker.waitUntilReady().then(() => process.send?.({ ready: true }));
  const stop = () =>
    void running
      .close()
      .then(() => closeClients(clients))
      .finally(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("disconnect", stop);
}

process.once("message", (input: ChildInput) => {
  if (input.role === "worker") return worker(input);
  web(input).then(
    (output) => process.send?.({ output }, () => process.exit(0)),
    (error: unknown) => process.send?.({ error: String(error) }, () => process.exit(1)),
  );
});
