// Section 4's load, in a process of its own: its peak RSS and heap are the recipes' and core's alone,
// not the emulators' (which keep every request they receive) nor the other sections'.
import { composeEvents } from "@auth-recipes/core";
import { benchUser, closeClients, type Endpoints, makeClients, makeRecipes } from "./services.ts";

/** What the parent sends: where the emulators are, and how much load. */
export interface WorkerInput {
  endpoints: Endpoints;
  events: number;
  warmup: number;
  concurrency: number;
  /** The run is split into this many chunks, with the heap measured (after GC) after each. */
  checkpoints: number;
}

/** What the worker reports back. */
export interface WorkerOutput {
  events: number;
  concurrency: number;
  /** Time under load, the pauses for heap measurements left out. */
  seconds: number;
  eventsPerSecond: number;
  /**
   * CPU time this process spent per event (user + system), in ms: core, the recipes and the SDKs, not the
   * emulators. Steadier than events per second on a shared machine.
   */
  cpuMsPerEvent: number;
  /** The most RSS seen by a sampler every 10 ms during the run (pauses for heap measurements left out). */
  peakRssBytes: number;
  /** The process's maximum RSS over its whole life, as the kernel counts it. */
  maxRssBytes: number;
  heapBeforeBytes: number;
  heapAfterBytes: number;
  /** Heap after GC after each chunk: a leak grows with every chunk, a warm-up effect does not. */
  heapSeries: Array<{ events: number; heapBytes: number }>;
  unhandledRejections: number;
  /** Handler outcomes through onSettled, summed over every dispatch. */
  outcomes: { fulfilled: number; rejected: number; skipped: number };
  /** The first few onError messages, if any. */
  errors: string[];
}

declare const gc: (() => void) | undefined;

// The clients' own timers (AbortSignal.timeout for the 3 s request timeouts) outlive the requests that
// made them, and Node frees each one through a FinalizationRegistry only after a GC and a later task.
// Measuring at once would count the last 3 seconds of requests as growth.
const CLIENT_TIMEOUT_MS = 3000;

async function settledHeap(): Promise<number> {
  if (typeof gc !== "function") throw new Error("run with node --expose-gc");
  await new Promise((wake) => setTimeout(wake, CLIENT_TIMEOUT_MS + 500));
  for (let pass = 0; pass < 3; pass++) {
    gc();
    await new Promise((wake) => setTimeout(wake, 50));
  }
  gc();
  return process.memoryUsage().heapUsed;
}

async function run(input: WorkerInput): Promise<WorkerOutput> {
  let unhandledRejections = 0;
  process.on("unhandledRejection", () => {
    unhandledRejections++;
  });
  const clients = makeClients(input.endpoints, "configured");
  const outcomes = { fulfilled: 0, rejected: 0, skipped: 0 };
  const errors: string[] = [];
  const createUser = composeEvents(makeRecipes(clients), {
    onError: (error) => {
      if (errors.length < 5) errors.push(error.message);
    },
    onSettled: (report) => {
      for (const result of report.results) outcomes[result.status]++;
    },
  }).createUser!;

  // `concurrency` sign-ups in flight at any time, each with a user of its own.
  const drive = async (prefix: string, count: number, from = 0) => {
    let next = 0;
    const lane = async () => {
      while (next < count) {
        const index = from + next++;
        await createUser({ user: benchUser(`${prefix}-${index}`) });
      }
    };
    await Promise.all(Array.from({ length: Math.min(input.concurrency, count) }, lane));
  };

  // The warm-up fills the pools and lets V8 optimise: heap grown then is start-up, not a leak.
  await drive("warm", input.warmup);
  const heapBeforeBytes = await settledHeap();
  Object.assign(outcomes, { fulfilled: 0, rejected: 0, skipped: 0 });

  let peakRssBytes = process.memoryUsage.rss();
  const sample = () => {
    peakRssBytes = Math.max(peakRssBytes, process.memoryUsage.rss());
  };
  const heapSeries: WorkerOutput["heapSeries"] = [{ events: 0, heapBytes: heapBeforeBytes }];
  let busyMs = 0;
  let cpuMicros = 0;
  let done = 0;
  for (let chunk = 1; chunk <= input.checkpoints; chunk++) {
    const size = Math.round((input.events * chunk) / input.checkpoints) - done;
    const sampler = setInterval(sample, 10);
    const started = performance.now();
    const cpu = process.cpuUsage();
    await drive("tp", size, done);
    const used = process.cpuUsage(cpu);
    busyMs += performance.now() - started;
    cpuMicros += used.user + used.system;
    clearInterval(sampler);
    sample();
    done += size;
    heapSeries.push({ events: done, heapBytes: await settledHeap() });
  }
  const seconds = busyMs / 1000;
  const heapAfterBytes = heapSeries[heapSeries.length - 1]!.heapBytes;
  await closeClients(clients);
  return {
    events: input.events,
    concurrency: input.concurrency,
    seconds,
    eventsPerSecond: input.events / seconds,
    cpuMsPerEvent: cpuMicros / 1000 / input.events,
    peakRssBytes,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    heapBeforeBytes,
    heapAfterBytes,
    heapSeries,
    unhandledRejections,
    outcomes,
    errors,
  };
}

process.once("message", (input: WorkerInput) => {
  run(input).then(
    (output) => process.send!({ output }, () => process.exit(0)),
    (error: unknown) =>
      process.send!({ error: error instanceof Error ? error.stack : String(error) }, () =>
        process.exit(1),
      ),
  );
});
