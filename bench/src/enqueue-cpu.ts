// Section 9: the web process's CPU per sign-up for our enqueue (composeEvents + enqueueRecipes: the
// message's encoding, the job ids, the user index's script call, one addBulk of four jobs) against
// BullMQ's own addBulk of the same four jobs, in one process, side by side, rounds alternating.
import { enqueueRecipes } from "@auth-recipes/bullmq";
import { composeEvents, type Recipe } from "@auth-recipes/core";
import { startRedisServer } from "@auth-recipes/testing";
import { Queue } from "bullmq";
import { benchUser } from "./services.ts";
import { ratios, type Summary, summarize } from "./stats.ts";
import { reportTable } from "./table.ts";

export interface EnqueueCpuResult {
  signups: number;
  oursCpuMs: Summary;
  addBulkCpuMs: Summary;
  ratio: Summary;
}

const noop = () => undefined;
const NAMES = ["welcome-email", "slack", "stripe-customer", "segment"];

/** Section 9. */
export async function benchEnqueueCpu(options: {
  signups: number;
  rounds: number;
}): Promise<EnqueueCpuResult> {
  const redis = await startRedisServer({ appendOnly: false });
  const queue = new Queue("auth-recipes", {
    connection: { host: "127.0.0.1", port: redis.port, enableOfflineQueue: false },
  });
  queue.on("error", () => {});
  try {
    await queue.waitUntilReady();
    const recipes: Recipe[] = NAMES.map((name) => ({ name, events: { createUser: noop } }));
    const ours = composeEvents([enqueueRecipes(recipes, { queue })]).createUser!;
    const options_ = { removeOnComplete: { age: 86_400 }, removeOnFail: false };
    const raw = (key: string) => {
      const user = benchUser(key);
      const id = crypto.randomUUID();
      return queue.addBulk(
        NAMES.map((recipe) => ({
          name: `${recipe}:createUser`,
          data: { event: "createUser", recipe, dispatchId: id, message: { user } },
          opts: { ...options_, jobId: `${id}.${recipe}` },
        })),
      );
    };
    const run = async (mode: "ours" | "raw", tag: string, count: number) => {
      for (let i = 0; i < count; i += 16) {
        await Promise.all(
          Array.from({ length: Math.min(16, count - i) }, (_, j) =>
            mode === "ours" ? ours({ user: benchUser(`${tag}-${i + j}`) }) : raw(`${tag}-${i + j}`),
          ),
        );
      }
    };
    await run("ours", "warm-ours", options.signups);
    await run("raw", "warm-raw", options.signups);
    const cpu = { ours: [] as number[], raw: [] as number[] };
    for (let round = 0; round < options.rounds; round++) {
      for (const mode of round % 2 ? (["raw", "ours"] as const) : (["ours", "raw"] as const)) {
        await queue.obliterate({ force: true });
        const at = process.cpuUsage();
        await run(mode, `${mode}-${round}`, options.signups);
        const used = process.cpuUsage(at);
        cpu[mode].push((used.user + used.system) / 1000 / options.signups);
      }
    }
    return {
      signups: options.signups,
      oursCpuMs: summarize(cpu.ours),
      addBulkCpuMs: summarize(cpu.raw),
      ratio: ratios(cpu.ours, cpu.raw),
    };
  } finally {
    await queue.close();
    await redis.close();
  }
}

/** Section 9's table. */
export function printEnqueueCpu(result: EnqueueCpuResult): void {
  const f = (s: Summary) => `${s.median.toFixed(3)} (${s.p25.toFixed(3)}–${s.p75.toFixed(3)})`;
  reportTable(
    `The enqueue's CPU per sign-up (${result.signups} sign-ups of 4 jobs per round)`,
    ["enqueue", "CPU ms per sign-up"],
    [
      ["ours: composeEvents + enqueueRecipes, user index included", f(result.oursCpuMs)],
      ["BullMQ's addBulk of the same four jobs", f(result.addBulkCpuMs)],
      ["ours / addBulk", f(result.ratio)],
    ],
  );
}
