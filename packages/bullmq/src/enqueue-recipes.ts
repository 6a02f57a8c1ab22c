import {
  EVENT_NAMES,
  type EventName,
  type HandlerContext,
  type Recipe,
  type RecipeEvents,
  type RecipeInput,
} from "@auth-recipes/core";
import { checkOptions, configError, resolveRoutes, traceEnqueue } from "@auth-recipes/core/kit";
import type { JobsOptions, Queue } from "bullmq";
import { delaysOf } from "./delayed.ts";
import { EnqueueError } from "./enqueue-error.ts";
import { checkFallback, type InlineFallbackOptions } from "./fallback.ts";
import { runInline } from "./inline.ts";
import { checkRecipeNames, jobName, type RecipeJobData, recipeJobId } from "./job.ts";
import { allowedCopy, checkStoredFields, storedPaths } from "./secrets.ts";
import { addIndexed } from "./user-index.ts";
import { encodeMessage } from "./wire.ts";

const PKG = "bullmq";

/** The backoff type of recipe jobs: the worker's `backoffStrategy` computes it from the recipe's policy. */
export const RECIPE_BACKOFF = "auth-recipes";

/**
 * The most attempts a recipe job can have. The worker decides retries from the recipe's `retry` policy and
 * fails the job at once when the policy says no; this ceiling only lets BullMQ ask it.
 */
export const MAX_JOB_ATTEMPTS = 1_000;

/** The rule of a duration some timer waits for: setTimeout fires at once past 2^31 - 1 ms. */
const TIMER_MS = [
  (ms: number) => ms > 0 && ms <= 2 ** 31 - 1,
  "a positive number of ms, at most 2^31 - 1",
] as const;

/** Options for {@link enqueueRecipes}. */
export interface EnqueueRecipesOptions {
  /** The BullMQ queue to add jobs to: `new Queue("auth-recipes", { connection })`. Its workers run {@link startRecipeWorker}. */
  queue: Queue;
  /**
   * The name of the recipe this returns, in reports and errors.
   * @default "bullmq"
   */
  name?: string;
  /**
   * How long to wait for Redis to take the jobs, in ms, before falling back: a positive number up to
   * 2^31 - 1. Never past the handler's deadline (`timeoutMs`). Commands are never left in ioredis's
   * offline queue: when the connection is not ready the fallback runs at once.
   * @default 1000
   */
  enqueueTimeoutMs?: number;
  /**
   * What happens to the recipes when the queue cannot take their jobs within `enqueueTimeoutMs` (or the
   * jobs cannot be built): `"inline"` runs them in-process with core's semantics, so nothing is lost;
   * an object does the same with its own bounds and retries for each recipe, as `composeEvents`' options
   * (`{}` is `"inline"`); `"none"` drops them. Either way the handler throws an {@link EnqueueError},
   * which your `onError` sees.
   * @default "inline" (in-process: each attempt bounded by 10 s, no retry, all within `timeoutMs`)
   * @example
   * ```ts
   * enqueueRecipes(recipes, { queue, fallback: { timeoutMs: 3_000 } }); // in-process, 3 s an attempt
   * enqueueRecipes(recipes, { queue, fallback: "none" }); // dropped, reported to onError
   * ```
   */
  fallback?: "inline" | "none" | InlineFallbackOptions;
  /**
   * How long completed jobs are kept, in ms: the window within which enqueuing the same dispatch again
   * (a retried call after a lost reply) makes no second job. BullMQ forgets a removed job's id.
   * @default 86400000 (24 hours)
   */
  dedupeWindowMs?: number;
  /**
   * Failed jobs are kept as a dead-letter set, to list and retry (`auth-recipes-jobs failed`); a number
   * keeps that many of the newest, `true` keeps them all.
   * @default true
   */
  keepFailed?: true | number;
  /**
   * More fields of the message to store, for a recipe of yours that reads them: dotted names such as
   * `"user.role"` or `"profile.locale"`, kept whatever they hold. Only what recipes read is stored:
   * by default the user's `id`, `email`, `name`, `image` and `emailVerified`, the account's `provider`,
   * `type` and `providerAccountId`, `isNewUser`, a JWT's `sub`, `email`, `name` and `picture`, and a
   * session's `userId`, `expires` and user; never a token or a password, whatever its name.
   * @default []
   */
  storedFields?: readonly string[];
  /**
   * Bounds the whole handler, in ms: the enqueue and, when it fails, the in-process fallback together
   * (this recipe's `timeoutMs` in `composeEvents`). A positive number or `Infinity` (`0` is refused, not
   * ignored). When it ends, the fallback's attempts are aborted and no retry starts.
   * @default composeEvents' `timeoutMs` (10000 unless you set it)
   */
  timeoutMs?: number;
}

/**
 * One recipe for the web process that hands the given recipes to a durable BullMQ queue instead of
 * running them: for each event, one job per recipe that handles it, all added in one `addBulk` round trip.
 * Workers started with {@link startRecipeWorker} on the same recipes run them.
 *
 * The job id is derived from the dispatch id and the recipe's name, so enqueuing the same dispatch twice
 * makes one job (within `dedupeWindowMs`). The stored message keeps its Dates and only the fields
 * recipes read (an allow-list: see `storedFields`), so no token or password reaches Redis.
 *
 * Whatever fails while the jobs are built (a message too deep to encode, a field whose getter throws)
 * falls back as an unreachable queue does. Configuration errors (an unknown event, two recipes with one
 * name, a recipe name no job id can hold, a missing queue) throw here.
 *
 * @example
 * ```ts
 * const queue = new Queue("auth-recipes", { connection: { host: "127.0.0.1", enableOfflineQueue: false } });
 * export const authOptions = { events: composeEvents([enqueueRecipes(recipes, { queue })]) };
 * ```
 */
export function enqueueRecipes(
  recipes: readonly RecipeInput[],
  options: EnqueueRecipesOptions,
): Recipe {
  // Not an option: the in-process run's options live in `fallback`. A config that sets `inline` would
  // otherwise run the fallback with the defaults, silently ignoring its bounds.
  if (typeof options === "object" && options !== null && Object.hasOwn(options, "inline")) {
    throw configError(
      PKG,
      'there is no option "inline": the in-process run\'s options are "fallback": { timeoutMs, retry }',
    );
  }
  checkOptions(PKG, "enqueueRecipes", options, {
    queue: {
      required: true,
      test: (queue) => typeof (queue as Partial<Queue>).addBulk === "function",
      is: "a BullMQ Queue: new Queue(name, { connection })",
    },
    name: { type: "string", test: (name) => name !== "", is: "a non-empty string" },
    enqueueTimeoutMs: { type: "number", range: TIMER_MS },
    dedupeWindowMs: { type: "number", range: TIMER_MS },
    fallback: {}, // checked by checkFallback
    storedFields: {}, // checked by checkStoredFields
    keepFailed: {
      test: (keep) => keep === true || typeof keep === "number",
      is: "true or a whole number",
      range: [
        (keep: true | number) => keep === true || (Number.isInteger(keep) && keep >= 0),
        "true or a whole number ≥ 0",
      ],
    },
    // `0` is not "no timeout": refused, as core refuses it, rather than silently ignored.
    timeoutMs: {
      type: "number",
      range: [(ms: number) => ms > 0, "a positive number of ms or Infinity"],
    },
  });
  const { queue, name = "bullmq", keepFailed = true } = options as EnqueueRecipesOptions;
  const fallback = checkFallback(options.fallback);
  const enqueueTimeoutMs = (options.enqueueTimeoutMs as number | undefined) ?? 1_000;
  const dedupeWindowMs = (options.dedupeWindowMs as number | undefined) ?? 86_400_000;
  const storedFields = storedPaths(checkStoredFields(PKG, options.storedFields));
  const timeoutMs = options.timeoutMs as number | undefined;
  // The same validation and the same events as composeEvents: a typo fails here, not in a worker.
  const routes = resolveRoutes(recipes, fallback || {});
  checkRecipeNames(PKG, recipes);
  const delays = delaysOf(recipes);

  const jobOptions: JobsOptions = {
    attempts: MAX_JOB_ATTEMPTS,
    backoff: { type: RECIPE_BACKOFF },
    removeOnComplete: { age: Math.ceil(dedupeWindowMs / 1000) },
    removeOnFail: keepFailed === true ? false : { count: keepFailed },
  };

  const events: Record<string, RecipeEvents[EventName]> = {};
  for (const event of EVENT_NAMES) {
    const list = routes[event];
    if (!list.length) continue;
    const names = list.map((route) => route.recipe);
    events[event] = async (message: unknown, context: HandlerContext) => {
      try {
        // Built inside the try: a message that cannot be stored (too deep, a getter that throws) or a
        // dispatch id that cannot be encoded falls back like a queue that cannot be reached.
        const stored = encodeMessage(allowedCopy(message, storedFields));
        const jobs = names.map((recipe) => {
          const data: RecipeJobData = {
            event,
            recipe,
            dispatchId: context.dispatchId,
            message: stored,
          };
          return {
            name: jobName(data),
            data,
            opts: {
              ...jobOptions,
              jobId: recipeJobId(context.dispatchId, recipe),
              ...(delays.has(recipe) ? { delay: delays.get(recipe) } : {}),
            },
          };
        });
        const budget = Math.min(enqueueTimeoutMs, context.deadline - Date.now());
        // Tracers write the enqueue's trace context into the carrier; each job carries a copy, so a
        // worker's spans join the sign-in's trace (see the Tracing guide).
        const enqueue = { event, dispatchId: context.dispatchId, recipe: name, recipes: names };
        await traceEnqueue({ ...enqueue, queue: queue.name }, (carrier) =>
          addWithin(queue, withCarrier(jobs, carrier), budget, dedupeWindowMs),
        );
        return;
      } catch (cause) {
        // Bounded by this handler's own deadline and signal (read only here: reading `signal` makes core
        // create an AbortController, which the enqueue's happy path does without).
        const results =
          // A delayed recipe cannot wait days in this process: the fallback runs only the others.
          fallback
            ? await runInline(
                list.filter((route) => !delays.has(route.recipe)),
                message,
                {
                  dispatchId: context.dispatchId,
                  deadline: context.deadline,
                  signal: context.signal,
                },
              )
            : undefined;
        throw new EnqueueError({
          fallback: results ? "inline" : "none",
          recipes: names,
          cause,
          ...(results ? { results } : {}),
        });
      }
    };
  }
  return {
    name,
    events: events as RecipeEvents,
    retry: false,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  };
}

/** The jobs with the trace context in their data, when a tracer gave one. */
function withCarrier(
  jobs: { name: string; data: RecipeJobData; opts: JobsOptions }[],
  carrier: Readonly<Record<string, string>>,
): { name: string; data: RecipeJobData; opts: JobsOptions }[] {
  if (!Object.keys(carrier).length) return jobs;
  return jobs.map((job) => ({ ...job, data: { ...job.data, traceCarrier: { ...carrier } } }));
}

/** The connection's state, where the backend has one (ioredis: "ready", "reconnecting", "end", …). */
async function connectionStatus(queue: Queue): Promise<string | undefined> {
  const backend = queue.getBackend() as { client?: Promise<{ status?: unknown }> };
  const client = await backend.client;
  return typeof client?.status === "string" ? client.status : undefined;
}

/**
 * Adds the jobs, or rejects within `budget` ms. A connection that is not ready fails at once, before any
 * command is sent: ioredis would keep the command in its offline queue and send it on reconnect, after
 * the fallback already ran the recipes.
 *
 * The budget ends at the handler's deadline at the latest, which is when core aborts the handler's
 * signal: the timer alone bounds the wait. Not reading `context.signal` also spares every sign-in the
 * AbortController core creates only for a handler that asks for one.
 */
async function addWithin(
  queue: Queue,
  jobs: Parameters<Queue["addBulk"]>[0],
  budget: number,
  keptMs: number,
): Promise<void> {
  if (!(budget > 0)) throw new Error("no time left before the deadline");
  let timer: ReturnType<typeof setTimeout> | undefined;
  let late = false;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the queue did not answer within ${Math.round(budget)} ms`)),
      budget,
    );
  });
  const adding = (async () => {
    const status = await connectionStatus(queue);
    // A connection that became ready after the deadline must not add jobs the fallback already ran.
    if (late) throw new Error("the deadline passed before the queue was ready");
    if (status !== undefined && status !== "ready")
      throw new Error(`the queue's connection is ${status}`);
    await addIndexed(queue, jobs, keptMs);
  })();
  // The loser of the race must not become an unhandled rejection.
  adding.catch(() => {});
  try {
    await Promise.race([adding, expired]);
  } catch (error) {
    late = true;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
