import { fork } from "node:child_process";
import { closeServices, endpointsOf, type Services, startServices } from "./services.ts";
import type { WorkerInput, WorkerOutput } from "./throughput-worker.ts";

/** One kind of delivery counted at an emulator, per user. */
export interface DeliveryCount {
  /** Such as `smtp: welcome emails`. */
  what: string;
  /** Users that should have one: every sign-up of the run and of its warm-up. */
  expected: number;
  exactlyOnce: number;
  missing: number;
  duplicated: number;
}

export interface ThroughputResult extends WorkerOutput {
  warmup: number;
  /** CPU time the emulators (this process) spent per event, in ms: they share the machine's cores. */
  emulatorCpuMsPerEvent: number;
  heapGrowthBytes: number;
  deliveries: DeliveryCount[];
  /** Every delivery arrived exactly once and nothing was rejected. */
  exactlyOnce: boolean;
}

const USER_KEY = /\b(?:warm|tp)-\d+\b/g;

/** Counts, per user key, the records that name it; each record counts once for each user it names. */
function tally(
  what: string,
  records: readonly string[],
  expected: readonly string[],
): DeliveryCount {
  const counts = new Map<string, number>();
  for (const text of records) {
    for (const key of new Set(text.match(USER_KEY) ?? [])) {
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  let exactlyOnce = 0;
  let missing = 0;
  let duplicated = 0;
  for (const key of expected) {
    const count = counts.get(key) ?? 0;
    if (count === 1) exactlyOnce++;
    else if (count === 0) missing++;
    else duplicated++;
  }
  return { what, expected: expected.length, exactlyOnce, missing, duplicated };
}

function countDeliveries(services: Services, expected: string[]): DeliveryCount[] {
  const { smtp, slack, stripe, segment } = services;
  return [
    tally(
      "smtp: welcome emails (envelope recipient)",
      smtp.messages.map((m) => m.envelope.to.join(" ")),
      expected,
    ),
    tally(
      "slack: messages",
      slack.messages.map((m) => `${m.text ?? ""} ${JSON.stringify(m.blocks ?? [])}`),
      expected,
    ),
    tally(
      "stripe: customers (email)",
      stripe.customers.map((c) => c.email ?? ""),
      expected,
    ),
    tally(
      "segment: identify calls (userId)",
      segment.messages.filter((m) => m.type === "identify").map((m) => m.userId ?? ""),
      expected,
    ),
    tally(
      "segment: Signed Up tracks (userId)",
      segment.messages
        .filter((m) => m.type === "track" && m.event === "Signed Up")
        .map((m) => m.userId ?? ""),
      expected,
    ),
  ];
}

/** Runs the worker with the source condition and --expose-gc, and waits for its report. */
function runWorker(input: WorkerInput): Promise<WorkerOutput> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL("./throughput-worker.ts", import.meta.url).pathname, [], {
      execArgv: ["--expose-gc", "--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    let done = false;
    child.once("message", (reply: { output?: WorkerOutput; error?: string }) => {
      done = true;
      if (reply.output) resolve(reply.output);
      else reject(new Error(`the throughput worker failed: ${reply.error}`));
    });
    child.once("exit", (code) => {
      if (!done) reject(new Error(`the throughput worker exited with ${code} before reporting`));
    });
    child.send(input);
  });
}

/**
 * Section 4: `events` createUser dispatches through the four recipes against the emulators (no injected
 * delay), `concurrency` in flight, in a child process; then every emulator is counted per user.
 */
export async function benchThroughput(options: {
  events: number;
  warmup: number;
  concurrency: number;
  checkpoints: number;
}): Promise<ThroughputResult> {
  const services = await startServices();
  try {
    const cpu = process.cpuUsage();
    const output = await runWorker({ endpoints: endpointsOf(services), ...options });
    const used = process.cpuUsage(cpu);
    const expected = [
      ...Array.from({ length: options.warmup }, (_, i) => `warm-${i}`),
      ...Array.from({ length: options.events }, (_, i) => `tp-${i}`),
    ];
    const deliveries = countDeliveries(services, expected);
    return {
      ...output,
      warmup: options.warmup,
      emulatorCpuMsPerEvent: (used.user + used.system) / 1000 / (options.events + options.warmup),
      heapGrowthBytes: output.heapAfterBytes - output.heapBeforeBytes,
      deliveries,
      exactlyOnce:
        deliveries.every((d) => d.exactlyOnce === d.expected) &&
        output.outcomes.rejected === 0 &&
        output.unhandledRejections === 0,
    };
  } finally {
    await closeServices(services);
  }
}
