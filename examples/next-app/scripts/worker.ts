// Queue mode's worker: `npx pnpm --filter @auth-recipes/example-next-app worker` (or `npm run demo -- --queue`,
// which starts it next to the app). It runs the app's own recipes (src/events.ts) on the jobs the app
// enqueues, with the same environment: the same services, database, AUTH_RECIPES and timeout.
import { startRecipeWorker } from "@auth-recipes/bullmq";
import { enabledRecipes, timeoutMs } from "../src/auth.ts";
import { db } from "../src/db/database.ts";
import { appRecipes, logDispatch, logRecipeError } from "../src/events.ts";
import { closeServices, getServices } from "../src/lib/services.ts";
import { queueSettings } from "../src/queue.ts";
import { tipsEmail } from "../src/tips.ts";

/** A positive number of ms from a variable, or the default. */
function ms(name: string, fallback: number): number {
  const value = Number(process.env[name] || fallback);
  if (!(value > 0)) throw new RangeError(`${name} must be a positive number of milliseconds`);
  return value;
}

const settings = queueSettings();
if (!settings) {
  console.error(
    "The worker needs AUTH_RECIPES_REDIS_URL (redis://127.0.0.1:6379): the Redis the app enqueues to.",
  );
  process.exit(1);
}

const services = getServices();
const recipes = [
  ...appRecipes({ services, db: db(), enabled: enabledRecipes(), timeoutMs: timeoutMs() }),
  // Queue mode's tips email, 30 s after sign-up (src/tips.ts).
  ...tipsEmail(services, enabledRecipes()),
];
// A killed worker's job runs again once its lock expires: BullMQ's 30 s by default; the demo and the
// browser test shorten it (AUTH_RECIPES_LOCK_MS) so a crash is seen to heal in seconds.
const lockDuration = ms("AUTH_RECIPES_LOCK_MS", 30_000);
const worker = startRecipeWorker(recipes, {
  connection: { ...settings.connection, maxRetriesPerRequest: null },
  queueName: settings.name,
  concurrency: 8,
  timeoutMs: timeoutMs(),
  retry: { retries: 3, minDelayMs: 500, maxDelayMs: 5_000 },
  lockDuration,
  stalledInterval: lockDuration,
  onError: logRecipeError,
  onSettled: process.env.AUTH_RECIPES_DEBUG === "1" ? logDispatch : undefined,
});
console.log(`[worker] running ${settings.name}'s jobs (pid ${process.pid})`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await worker.close();
  await closeServices(services);
  process.exit(0);
}
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
