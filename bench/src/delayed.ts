// Section 7: delayed recipes and forgetting a user (@auth-recipes/bullmq's delayed() and forgetUser):
// what 10,000 pending delayed recipes cost Redis, how long forgetUser takes for one user's 10 jobs
// among 10,000 and 100,000 (against reading every job), and the Redis work of one sign-up end to end
// (commands and Redis CPU, from INFO), for the on-paper scaling in the durable-dispatch guide.
import { delayed, enqueueRecipes, forgetUser, startRecipeWorker } from "@auth-recipes/bullmq";
import { composeEvents, type Recipe } from "@auth-recipes/core";
import { startRedisServer } from "@auth-recipes/testing";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { benchUser } from "./services.ts";
import { type Summary, summarize } from "./stats.ts";
import { reportTable } from "./table.ts";

export interface DelayedResult {
  /** Pending delayed recipes (one per sign-up) and Redis's used_memory growth per job, index included. */
  memory: { jobs: number; bytesPerJob: number; indexBytesPerUser: number };
  /** forgetUser for a user with 10 jobs, among this many jobs of other users. */
  forget: Array<{ queueJobs: number; indexedMs: Summary; scanAllMs: Summary | undefined }>;
  /** One sign-up of four recipes, enqueued and run by a worker: Redis commands and Redis CPU per sign-up. */
  perSignup: { signups: number; commands: number; scriptCalls: number; redisCpuUs: number };
}

const noop = () => undefined;
const recipe = (name: string): Recipe => ({
  name,
  events: { createUser: noop, signIn: noop },
});
// The four recipes' names, no-op handlers: the figures are Redis's, not the services'.
const IMMEDIATE = ["welcome-email", "slack", "stripe-customer"].map(recipe);
const TIPS = delayed({ name: "tips", events: { createUser: noop } }, { days: 3 }, { name: "tips" });

async function inBatches(count: number, run: (index: number) => Promise<unknown>): Promise<void> {
  const width = 32;
  for (let start = 0; start < count; start += width) {
    await Promise.all(
      Array.from({ length: Math.min(width, count - start) }, (_, i) => run(start + i)),
    );
  }
}

function info(text: string, field: string): number {
  const match = new RegExp(`^${field}:([\\d.]+)`, "m").exec(text);
  return match ? Number(match[1]) : Number.NaN;
}

/** Section 7. */
export async function benchDelayed(options: {
  memoryJobs: number;
  forgetSizes: number[];
  rounds: number;
  scanAllUpTo: number;
  signups: number;
}): Promise<DelayedResult> {
  const redis = await startRedisServer({ appendOnly: false });
  const connection = { host: "127.0.0.1", port: redis.port };
  const client = new Redis({ ...connection, maxRetriesPerRequest: 1 });
  const queue = new Queue("auth-recipes", {
    connection: { ...connection, enableOfflineQueue: false },
  });
  queue.on("error", () => {});
  try {
    await queue.waitUntilReady();
    // Memory: one delayed job per sign-up, with its index entry.
    const delayedOnly = composeEvents([enqueueRecipes([TIPS], { queue })]).createUser!;
    await delayedOnly({ user: benchUser("warm") });
    await client.flushall();
    const before = info(await client.info("memory"), "used_memory");
    await inBatches(options.memoryJobs, (i) => delayedOnly({ user: benchUser(`m${i}`) }));
    const after = info(await client.info("memory"), "used_memory");
    let indexBytes = 0;
    const sample = 200;
    const keys = (await client.keys("bull:auth-recipes:auth-recipes-user:*")).slice(0, sample);
    for (const key of keys) indexBytes += Number(await client.memory("USAGE", key));
    const memory = {
      jobs: options.memoryJobs,
      bytesPerJob: Math.round((after - before) / options.memoryJobs),
      indexBytesPerUser: Math.round(indexBytes / Math.max(1, keys.length)),
    };

    // forgetUser: the queue holds `size` jobs of other users (3 waiting, 1 delayed per sign-up), and
    // the user 10: a sign-up (4) and two sign-ins (3 each).
    const web = composeEvents([enqueueRecipes([...IMMEDIATE, TIPS], { queue })]);
    const forget: DelayedResult["forget"] = [];
    await client.flushall();
    let filled = 0;
    for (const size of options.forgetSizes) {
      const signups = Math.ceil((size - filled) / 4);
      await inBatches(signups, (i) => web.createUser!({ user: benchUser(`f${filled + i * 4}`) }));
      filled += signups * 4;
      const indexed: number[] = [];
      const scanned: number[] = [];
      for (let round = 0; round < options.rounds; round++) {
        for (const scanAll of size <= options.scanAllUpTo ? [false, true] : [false]) {
          const user = benchUser(`target-${size}-${round}-${scanAll}`);
          await web.createUser!({ user });
          await web.signIn!({ user, account: null });
          await web.signIn!({ user, account: null });
          const started = performance.now();
          const { removed } = await forgetUser(queue, user.id!, { scanAll });
          (scanAll ? scanned : indexed).push(performance.now() - started);
          if (removed !== 10) throw new Error(`forgetUser removed ${removed} jobs, not 10`);
        }
      }
      forget.push({
        queueJobs: filled,
        indexedMs: summarize(indexed),
        scanAllMs: scanned.length ? summarize(scanned) : undefined,
      });
    }

    // One sign-up end to end: enqueue four jobs, a worker runs them; Redis's commands and CPU per sign-up.
    await client.flushall();
    const four = [...IMMEDIATE, recipe("segment")];
    const signUp = composeEvents([enqueueRecipes(four, { queue })]).createUser!;
    await client.config("RESETSTAT");
    const cpuBefore = await client.info("cpu");
    const worker = startRecipeWorker(four, { connection, concurrency: 16 });
    await inBatches(options.signups, (i) => signUp({ user: benchUser(`s${i}`) }));
    for (;;) {
      const counts = await queue.getJobCounts("completed");
      if (counts.completed === options.signups * 4) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await worker.close();
    const cpuAfter = await client.info("cpu");
    const stats = await client.info("commandstats");
    let commands = 0;
    let scriptCalls = 0;
    for (const [, name, calls] of stats.matchAll(/^cmdstat_([a-z|]+):calls=(\d+)/gm)) {
      // The probes of this bench itself are left out.
      if (name === "info" || name === "config" || name === "ping") continue;
      commands += Number(calls);
      if (name === "evalsha" || name === "eval" || name === "fcall") scriptCalls += Number(calls);
    }
    const cpu = (text: string) => info(text, "used_cpu_sys") + info(text, "used_cpu_user");
    return {
      memory,
      forget,
      perSignup: {
        signups: options.signups,
        commands: commands / options.signups,
        scriptCalls: scriptCalls / options.signups,
        redisCpuUs: ((cpu(cpuAfter) - cpu(cpuBefore)) * 1e6) / options.signups,
      },
    };
  } finally {
    client.disconnect();
    await queue.close();
    await redis.close();
  }
}

/** Section 7's tables. */
export function printDelayed(result: DelayedResult): void {
  const ms = (s: Summary) => `${s.median.toFixed(2)} ms (${s.p25.toFixed(2)}–${s.p75.toFixed(2)})`;
  reportTable(
    "Delayed recipes and forgetUser",
    ["measure", "value"],
    [
      [
        `Redis memory per pending delayed recipe (${result.memory.jobs} jobs, index included)`,
        `${result.memory.bytesPerJob} B`,
      ],
      ["of which the user's index set", `${result.memory.indexBytesPerUser} B`],
      ...result.forget.flatMap((row) => [
        [`forgetUser, 10 jobs among ${row.queueJobs}: the index`, ms(row.indexedMs)],
        ...(row.scanAllMs
          ? [[`forgetUser, 10 jobs among ${row.queueJobs}: reading every job`, ms(row.scanAllMs)]]
          : []),
      ]),
      [
        `Redis commands per sign-up, enqueue and 4 jobs run (${result.perSignup.signups} sign-ups)`,
        result.perSignup.commands.toFixed(1),
      ],
      ["of which script calls (EVALSHA)", result.perSignup.scriptCalls.toFixed(1)],
      ["Redis CPU per sign-up", `${result.perSignup.redisCpuUs.toFixed(0)} µs`],
      [
        "sign-ups/s one Redis core carries at that CPU",
        String(Math.round(1e6 / result.perSignup.redisCpuUs)),
      ],
    ],
  );
}
