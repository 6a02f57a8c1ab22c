// Section 8: our worker against hand-written BullMQ workers that call the same four SDK clients directly
// (one job per recipe, no auth-recipes code): the minimal one (does not wait for Segment) and the careful
// one (confirms Segment's delivery through the SDK's callback), each with nodemailer's default and pooled
// transport, side by side in one run. Throughput over a backlog, and each worker process's CPU per job.
import { type ChildProcess, fork } from "node:child_process";
import { enqueueRecipes } from "@auth-recipes/bullmq";
import { composeEvents } from "@auth-recipes/core";
import { startRedisServer } from "@auth-recipes/testing";
import { Queue } from "bullmq";
import { sleep, stopChild } from "./queue-processes.ts";
import {
  benchUser,
  closeClients,
  closeServices,
  endpointsOf,
  makeClients,
  makeRecipes,
  startServices,
} from "./services.ts";
import { ratios, type Summary, summarize } from "./stats.ts";
import { reportTable } from "./table.ts";
import type { CompareChildInput, HandJob } from "./worker-compare-child.ts";

type Kind = CompareChildInput["kind"];
type Transport = CompareChildInput["transport"];
const KINDS: readonly Kind[] = ["ours", "ours-lean", "minimal", "careful"];
const TRANSPORTS: readonly Transport[] = ["default", "pooled"];
const RECIPES: HandJob["recipe"][] = ["welcome-email", "slack", "stripe-customer", "segment"];

export interface WorkerCompareRow {
  kind: Kind;
  transport: Transport;
  signupsPerSecond: Summary;
  cpuMsPerJob: Summary;
}

export interface WorkerCompareResult {
  signups: number;
  rounds: number;
  rows: WorkerCompareRow[];
  /** Ours over the minimal worker's, per transport, per round. */
  versusMinimal: Array<{ kind: Kind; transport: Transport; throughput: Summary; cpu: Summary }>;
}

function compareChild(input: CompareChildInput): { process: ChildProcess; ready: Promise<void> } {
  const child = fork(new URL("./worker-compare-child.ts", import.meta.url).pathname, [], {
    execArgv: [
      "--import",
      "tsx",
      ...process.execArgv.filter((arg) => arg.startsWith("--conditions")),
    ],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.once("message", () => resolve());
    child.once("exit", (code) => reject(new Error(`a section 8 worker exited with ${code}`)));
  });
  ready.catch(() => {});
  child.send({ input });
  return { process: child, ready };
}

function ask(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once("message", (message: { cpuMs: number }) => resolve(message.cpuMs));
    child.send({ cmd: "report" });
  });
}

async function waitDone(queue: Queue, jobs: number): Promise<void> {
  const until = Date.now() + 180_000;
  while ((await queue.getCompletedCount()) + (await queue.getFailedCount()) < jobs) {
    if (Date.now() > until) throw new Error(`only part of ${jobs} jobs finished in 180 s`);
    await sleep(10);
  }
}

/** Section 8. */
export async function benchWorkerCompare(options: {
  signups: number;
  rounds: number;
  concurrency: number;
}): Promise<WorkerCompareResult> {
  const [redis, services] = await Promise.all([startRedisServer(), startServices()]);
  const endpoints = endpointsOf(services);
  const connection = { host: "127.0.0.1", port: redis.port };
  const ours = new Queue("auth-recipes", { connection });
  const hand = new Queue("hand", { connection });
  ours.on("error", () => {});
  hand.on("error", () => {});
  const clients = makeClients(endpoints, "configured");
  const enqueue = composeEvents([enqueueRecipes(makeRecipes(clients), { queue: ours })])
    .createUser!;
  const samples = new Map<string, { rate: number[]; cpu: number[] }>();
  try {
    for (let round = 0; round < options.rounds; round++) {
      for (const transport of TRANSPORTS) {
        // Alternate the order per round, so that drift on a shared machine falls on each in turn.
        const order = round % 2 ? [...KINDS].reverse() : KINDS;
        for (const kind of order) {
          const ourKind = kind === "ours" || kind === "ours-lean";
          const queue = ourKind ? ours : hand;
          await queue.obliterate({ force: true });
          await queue.pause();
          const tag = `${kind}-${transport}-${round}`;
          for (let i = 0; i < options.signups; i += 16) {
            const users = Array.from({ length: Math.min(16, options.signups - i) }, (_, j) =>
              benchUser(`${tag}-${i + j}`),
            );
            if (ourKind) await Promise.all(users.map((user) => enqueue({ user })));
            else
              await hand.addBulk(
                users.flatMap((user) =>
                  RECIPES.map((recipe) => ({
                    name: recipe,
                    data: { recipe, user },
                    opts: { removeOnComplete: { age: 86_400 }, removeOnFail: false },
                  })),
                ),
              );
          }
          const worker = compareChild({
            kind,
            transport,
            endpoints,
            redisPort: redis.port,
            queueName: queue.name,
            concurrency: options.concurrency,
          });
          await worker.ready;
          worker.process.send({ cmd: "start" });
          const at = performance.now();
          await queue.resume();
          await waitDone(queue, options.signups * 4);
          const seconds = (performance.now() - at) / 1000;
          const cpuMs = await ask(worker.process);
          await stopChild(worker.process);
          const key = `${kind}/${transport}`;
          const entry = samples.get(key) ?? { rate: [], cpu: [] };
          entry.rate.push(options.signups / seconds);
          entry.cpu.push(cpuMs / (options.signups * 4));
          samples.set(key, entry);
        }
      }
    }
  } finally {
    await closeClients(clients);
    await Promise.all([ours.close(), hand.close()]);
    await Promise.all([redis.close(), closeServices(services)]);
  }
  const rows: WorkerCompareRow[] = [];
  for (const transport of TRANSPORTS)
    for (const kind of KINDS) {
      const entry = samples.get(`${kind}/${transport}`)!;
      rows.push({
        kind,
        transport,
        signupsPerSecond: summarize(entry.rate),
        cpuMsPerJob: summarize(entry.cpu),
      });
    }
  const versusMinimal = TRANSPORTS.flatMap((transport) =>
    (["ours", "ours-lean"] as const).map((kind) => {
      const a = samples.get(`${kind}/${transport}`)!;
      const b = samples.get(`minimal/${transport}`)!;
      return { kind, transport, throughput: ratios(a.rate, b.rate), cpu: ratios(a.cpu, b.cpu) };
    }),
  );
  return { signups: options.signups, rounds: options.rounds, rows, versusMinimal };
}

/** Section 8's table. */
export function printWorkerCompare(result: WorkerCompareResult): void {
  const f = (s: Summary, digits: number) =>
    `${s.median.toFixed(digits)} (${s.p25.toFixed(digits)}–${s.p75.toFixed(digits)})`;
  reportTable(
    `Our worker against hand-written ones (${result.signups} sign-ups of 4 jobs, ${result.rounds} rounds)`,
    ["worker", "transport", "sign-ups/s", "CPU ms per job"],
    result.rows.map((row) => [
      row.kind,
      row.transport,
      f(row.signupsPerSecond, 1),
      f(row.cpuMsPerJob, 3),
    ]),
    result.versusMinimal.map(
      (row) =>
        `${row.kind} / minimal, ${row.transport} transport: throughput ${f(row.throughput, 2)}×, CPU per job ${f(row.cpu, 2)}×`,
    ),
  );
}
