import type {
  DispatchReport,
  EventName,
  RecipeError,
  RecipeInput,
  RetryOptions,
} from "@auth-recipes/core";
import {
  checkOptions,
  configError,
  cutText,
  defaultOnError,
  type Route,
  redact,
  resolveRoutes,
  runHandler,
} from "@auth-recipes/core/kit";
import { type Job, UnrecoverableError, Worker, type WorkerOptions } from "bullmq";
import { describe } from "./attempts.ts";
import { RECIPE_BACKOFF } from "./enqueue-recipes.ts";
import { checkRecipeNames, isRecipeJobData, type RecipeJobData } from "./job.ts";
import { decodeMessage } from "./wire.ts";

const PKG = "bullmq";
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Options for {@link startRecipeWorker}: BullMQ's own worker options pass through (`connection`, `concurrency`, `lockDuration`, `stalledInterval`, …). */
export interface RecipeWorkerOptions extends Omit<WorkerOptions, "autorun"> {
  /**
   * The queue's name: the one the web process's `Queue` was made with.
   * @default "auth-recipes"
   */
  queueName?: string;
  /**
   * Bounds each attempt, in ms, for recipes without their own `timeoutMs` (as `composeEvents`' option).
   * @default 10000
   */
  timeoutMs?: number;
  /**
   * Retries for recipes without their own `retry` (as `composeEvents`' option). They are BullMQ's: between
   * attempts the job waits in the delayed set, so a retry survives the worker's crash.
   * @default false
   */
  retry?: boolean | RetryOptions;
  /**
   * Called once per job whose last attempt failed (no retry left, or a failure the policy does not retry),
   * with core's `RecipeError`. A throw here is contained.
   * @default one line on the console: the recipe, the event and the cause's redacted message
   */
  onError?: (error: RecipeError) => unknown;
  /** Called once per job when it is done (fulfilled, skipped, or failed for good), with a one-handler report. */
  onSettled?: (report: DispatchReport) => unknown;
  /**
   * How long `close()` waits for running handlers, in ms (`Infinity`: as long as they run). Handlers still
   * running then are given up: their jobs go back to the queue as a failed attempt, and another worker
   * runs them again.
   * @default 10000
   */
  closeTimeoutMs?: number;
  /**
   * BullMQ's backend factory, for a backend other than Redis: `createPostgresBackend` from `bullmq` with
   * `connection: { connectionString, migrate: true }`. The web process's `Queue` takes the same.
   * @default Redis
   */
  backend?: (...args: never[]) => unknown;
}

/** A running worker, from {@link startRecipeWorker}. */
export interface RecipeWorker {
  /** The BullMQ worker, for its events (`completed`, `failed`, `error`) and methods. */
  readonly worker: Worker<RecipeJobData>;
  /**
   * Stops taking jobs, waits up to `closeTimeoutMs` for running ones, then closes the worker's connections.
   * Resolves when nothing of the worker is left open. Call it on SIGTERM.
   */
  close(): Promise<void>;
}

/** What a recipe job returns when it is done: BullMQ keeps it as the job's `returnvalue`. */
export interface RecipeJobResult {
  status: "fulfilled" | "skipped";
  reason?: string;
}

/** An attempt failed and the policy retries it: BullMQ moves the job to its delayed set for `retryInMs`. */
class RetryableAttempt extends Error {
  override name = "RetryableAttempt";
  constructor(
    message: string,
    readonly retryInMs: number,
  ) {
    super(message);
    // BullMQ stores the stack with the job: no trace of this package's frames, only the redacted message.
    this.stack = `${this.name}: ${message}`;
  }
}

/** The worker is closing and the handler was still running: the job goes back to the queue at once. */
class ClosingAttempt extends Error {
  override name = "ClosingAttempt";
}

/**
 * What a worker runs for a job it cannot run (another producer's, a corrupted record, a recipe this
 * worker lacks): a route whose one attempt fails with `reason`, never retried, so the job fails once and
 * `onError` hears of it, as of any failed job. The job's own fields are untrusted: named in reports only
 * redacted and cut short.
 */
function refusedRoute(data: unknown, reason: string): Route {
  const field = (key: "recipe" | "event", fallback: string) => {
    const value = (data as Record<string, unknown> | null | undefined)?.[key];
    return typeof value === "string" ? cutText(redact(value), 100) : fallback;
  };
  return {
    recipe: field("recipe", "(not a recipe job)"),
    event: field("event", "(not an event)") as EventName,
    handler: () => {
      throw new Error(reason);
    },
    timeoutMs: Number.POSITIVE_INFINITY,
    retry: undefined,
  };
}

/**
 * Starts a BullMQ worker that runs the jobs {@link enqueueRecipes} adds, with the same recipes: each job's
 * handler gets core's context (`dispatchId` from the job, so idempotency keys hold across retries and
 * crashes; `attempt` from the job's attempts; `signal` and `deadline` from the timeout) and reports to
 * `onError` and `onSettled` as `composeEvents` does. Retries are BullMQ's, with the recipe's `retry`
 * policy (or this worker's) and its backoff; a failure the policy does not retry fails the job at once. An
 * error's `retryAfterMs` (a `Retry-After`) sets the delay. Failed jobs stay in the failed set.
 *
 * @example
 * ```ts
 * const worker = startRecipeWorker(recipes, { connection: { host: "127.0.0.1" }, concurrency: 16 });
 * process.on("SIGTERM", () => worker.close());
 * ```
 */
export function startRecipeWorker(
  recipes: readonly RecipeInput[],
  options: RecipeWorkerOptions,
): RecipeWorker {
  if (typeof options !== "object" || options === null || !options.connection) {
    throw configError(
      PKG,
      'option "connection" is required: the Redis connection options or client',
    );
  }
  const {
    queueName = "auth-recipes",
    timeoutMs,
    retry,
    onError = defaultOnError,
    onSettled,
    closeTimeoutMs = 10_000,
    settings,
    backend,
    ...workerOptions
  } = options;
  // Only this package's own options: the rest are BullMQ's worker options, passed through to it.
  const own = { queueName, timeoutMs, retry, onError, onSettled, closeTimeoutMs };
  checkOptions(PKG, "startRecipeWorker", own, {
    queueName: { type: "string", test: (name) => name !== "", is: "a non-empty string" },
    // Checked here too, not only by core's resolveRoutes: the message names this package's option.
    timeoutMs: {
      type: "number",
      range: [(ms: number) => ms > 0, "a positive number of ms or Infinity"],
    },
    onError: "function",
    onSettled: "function",
    closeTimeoutMs: {
      type: "number",
      range: [(ms: number) => ms >= 0, "0 or more ms, or Infinity to wait for every handler"],
    },
  });
  checkRecipeNames(PKG, recipes);
  const byEvent = resolveRoutes(recipes, {
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(retry !== undefined ? { retry } : {}),
  });
  const routeOf = (data: RecipeJobData): Route | undefined =>
    byEvent[data.event].find((route) => route.recipe === data.recipe);

  // The running jobs' give-up callbacks, for close(). A Set a job leaves when it ends, not a race
  // against one pending `closing` promise: each race would leave a reaction on that promise, kept until
  // the worker closes, a few hundred bytes and one more object to trace per job ever run.
  const running = new Set<(error: Error) => void>();
  let gaveUp: Error | undefined;
  const giveUp = (error: Error) => {
    gaveUp = error;
    for (const stop of running) stop(error);
  };

  /**
   * The job's route, message and trace context, or a refused route: whatever fails before the handler
   * runs (data of another shape, a message too deep to decode) fails the job once, reported, instead of
   * throwing out of the processor, which BullMQ would retry at once, up to MAX_JOB_ATTEMPTS times.
   */
  const readJob = (
    data: unknown,
  ): { route: Route; message?: unknown; dispatchId?: string } & {
    traceCarrier?: Record<string, string>;
  } => {
    try {
      if (!isRecipeJobData(data)) {
        return {
          route: refusedRoute(
            data,
            "malformed job: its data is not a recipe job's (a known event, a recipe and a dispatchId as strings)",
          ),
        };
      }
      const route = routeOf(data);
      if (!route) {
        return {
          route: refusedRoute(data, "no recipe of this name handles this event in this worker"),
          dispatchId: data.dispatchId,
        };
      }
      return {
        route,
        message: decodeMessage(data.message),
        dispatchId: data.dispatchId,
        ...traceCarrierOf(data),
      };
    } catch (cause) {
      return { route: refusedRoute(data, `malformed job: ${describe(cause)}`) };
    }
  };

  const processor = async (job: Job<RecipeJobData>): Promise<RecipeJobResult> => {
    const { route, message, dispatchId, traceCarrier } = readJob(job.data);
    // A handler given up at close() goes back to the queue: what it does later is not reported.
    let givenUp = false;
    const run = runHandler(route, message, {
      attempt: job.attemptsMade + 1,
      retryLater: true,
      ...(dispatchId !== undefined ? { dispatchId } : {}),
      ...(traceCarrier ? { traceCarrier } : {}),
      onError: (error) => (givenUp ? undefined : onError(error)),
      ...(onSettled ? { onSettled: (report) => (givenUp ? undefined : onSettled(report)) } : {}),
    });
    const outcome = await new Promise<Awaited<typeof run>>((resolve, reject) => {
      const stop = (error: Error) => {
        givenUp = true;
        running.delete(stop);
        reject(error);
      };
      // A job that starts after close() gave up is given up at once, as the running ones were.
      if (gaveUp) return stop(gaveUp);
      running.add(stop);
      // runHandler never rejects.
      void run.then((value) => {
        running.delete(stop);
        resolve(value);
      });
    });
    if (outcome.status === "retry") {
      throw new RetryableAttempt(
        `attempt ${outcome.attempts} failed: ${outcome.reason}`,
        Math.round(outcome.retryInMs),
      );
    }
    if (outcome.status === "rejected") {
      const message = outcome.error?.message ?? "failed";
      const final = new UnrecoverableError(message);
      // BullMQ stores the stack with the job: only the (redacted) message, no frames.
      final.stack = `${final.name}: ${message}`;
      throw final;
    }
    return outcome.reason === undefined
      ? { status: outcome.status }
      : { status: "skipped", reason: outcome.reason };
  };

  // BullMQ types the backend's connection options per backend; this host passes them through untouched.
  const RecipeJobWorker = Worker as unknown as new (
    ...args: unknown[]
  ) => Worker<RecipeJobData, RecipeJobResult>;
  const workerSettings: WorkerOptions = {
    ...workerOptions,
    settings: {
      ...settings,
      backoffStrategy: (attemptsMade, type, error, job) => {
        if (type !== RECIPE_BACKOFF)
          return settings?.backoffStrategy?.(attemptsMade, type, error, job) ?? 0;
        // The delay core's runner computed from the recipe's policy and the failure's retryAfterMs.
        return error instanceof RetryableAttempt ? error.retryInMs : 0;
      },
    },
  };
  const worker = backend
    ? new RecipeJobWorker(queueName, processor, workerSettings, backend)
    : new RecipeJobWorker(queueName, processor, workerSettings);

  let closed: Promise<void> | undefined;
  return {
    worker,
    close() {
      closed ??= (async () => {
        // setTimeout fires at once past 2^31 - 1 ms: a longer bound (Infinity) is no bound at all.
        const timer =
          closeTimeoutMs <= MAX_TIMER_MS
            ? setTimeout(
                () => giveUp(new ClosingAttempt("the worker closed before the handler finished")),
                closeTimeoutMs,
              )
            : undefined;
        try {
          await worker.close();
        } finally {
          clearTimeout(timer);
        }
      })();
      return closed;
    },
  };
}

/** A job's trace context, passed on only as strings: job data comes from Redis and can hold anything. */
function traceCarrierOf(data: RecipeJobData): { traceCarrier?: Record<string, string> } {
  const carrier = data.traceCarrier as unknown;
  if (typeof carrier !== "object" || carrier === null) return {};
  const entries = Object.entries(carrier).filter(
    (entry): entry is [string, string] => typeof entry[1] === "string" && entry[1].length <= 512,
  );
  return entries.length ? { traceCarrier: Object.fromEntries(entries.slice(0, 8)) } : {};
}
