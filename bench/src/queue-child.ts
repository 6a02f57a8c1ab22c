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
  /** This process's CPU time (user + system) per sign-up, in ms. */
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
  // Warm-up: connections, pools, the JIT.
  for (let i = 0; i < 5; i++) await createUser({ user: benchUser(`${input.prefix}-warm-${i}`) });
  const latenciesMs: number[] = [];
  const cpu = process.cpuUsage();
  for (let i = 0; i < input.signups; i++) {
    const started = performance.now();
    await createUser({ user: benchUser(`${input.prefix}-${i}`) });
    latenciesMs.push(performance.now() - started);
  }
  const used = process.cpuUsage(cpu);
  await queue.close();
  await closeClients(clients);
  return { latenciesMs, cpuMsPerSignup: (used.user + used.system) / 1000 / input.signups, errors };
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
