import {
  type DispatchReport,
  type EventName,
  type HandlerResult,
  RecipeError,
  type RecipeInput,
  type RetryOptions,
} from "@auth-recipes/core";
import {
  backoffDelay,
  configError,
  configRangeError,
  type Route,
  redact,
  resolveRoutes,
  runAttempt,
} from "@auth-recipes/core/kit";
import { type Job, UnrecoverableError, Worker, type WorkerOptions } from "bullmq";
import { describe, shouldRetry } from "./attempts.ts";
import { RECIPE_BACKOFF } from "./enqueue-recipes.ts";
import type { RecipeJobData } from "./job.ts";
import { decodeMessage } from "./wire.ts";

const PKG = "bullmq";

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
   * How long `close()` waits for running handlers, in ms. Handlers still running then are given up: their
   * jobs go back to the queue as a failed attempt, and another worker runs them again.
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

/** An attempt failed and the policy retries it: BullMQ moves the job to its delayed set. */
class RetryableAttempt extends Error {
  override name = "RetryableAttempt";
  constructor(
    message: string,
    readonly retryAfterMs: number | undefined,
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

function defaultOnError(error: RecipeError): void {
  console.error(`[auth-recipes] ${error.message}`);
}

function contain(callback: (() => unknown) | undefined): void {
  try {
    const returned = callback?.() as { catch?: unknown } | undefined;
    if (returned && typeof returned.catch === "function")
      (returned as Promise<unknown>).catch(() => {});
  } catch {
    // A broken logger must not fail the job it reports on.
  }
}

function retryAfterOf(error: unknown): number | undefined {
  for (let depth = 0; depth < 5 && typeof error === "object" && error !== null; depth++) {
    const value = (error as { retryAfterMs?: unknown }).retryAfterMs;
    if (typeof value === "number" && value >= 0) return value;
    error = (error as { cause?: unknown }).cause;
  }
  return undefined;
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
  if (typeof queueName !== "string" || !queueName)
    throw configError(PKG, 'option "queueName" must be a non-empty string');
  for (const key of ["onError", "onSettled"] as const) {
    if (options[key] !== undefined && typeof options[key] !== "function") {
      throw configError(PKG, `option "${key}" must be a function`);
    }
  }
  if (!(closeTimeoutMs >= 0))
    throw configRangeError(PKG, 'option "closeTimeoutMs" must be a number of ms ≥ 0');
  const byEvent = resolveRoutes(recipes, {
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(retry !== undefined ? { retry } : {}),
  });
  const routeOf = (data: Partial<RecipeJobData> | undefined): Route | undefined =>
    typeof data?.event === "string" && Object.hasOwn(byEvent, data.event)
      ? byEvent[data.event as EventName].find((route) => route.recipe === data.recipe)
      : undefined;

  let giveUp: ((error: Error) => void) | undefined;
  const closing = new Promise<never>((_, reject) => {
    giveUp = reject;
  });
  closing.catch(() => {});

  const settle = (
    route: Pick<Route, "event" | "recipe">,
    data: RecipeJobData,
    result: HandlerResult,
  ) => {
    if (onSettled) {
      const report = {
        event: route.event,
        dispatchId: data.dispatchId,
        durationMs: result.durationMs,
        results: [result],
      };
      contain(() => onSettled(report));
    }
  };

  const processor = async (job: Job<RecipeJobData>): Promise<RecipeJobResult> => {
    const data = job.data;
    const attempts = job.attemptsMade + 1;
    const route = routeOf(data);
    if (!route) {
      const error = new RecipeError({
        recipe: String(data?.recipe),
        event: data?.event,
        attempts,
        timedOut: false,
        cause: new Error("no recipe of this name handles this event in this worker"),
      });
      contain(() => onError(error));
      throw new UnrecoverableError(error.message);
    }
    const outcome = await Promise.race([
      runAttempt(route, decodeMessage(data.message), {
        attempt: attempts,
        dispatchId: data.dispatchId,
        ...traceCarrierOf(data),
      }),
      closing,
    ]);
    const result: HandlerResult = {
      recipe: route.recipe,
      status: "fulfilled",
      attempts,
      durationMs: outcome.durationMs,
    };
    if (outcome.status === "skipped") {
      result.status = "skipped";
      if (outcome.reason !== undefined) result.reason = outcome.reason;
    }
    if (outcome.status !== "rejected") {
      settle(route, data, result);
      return result.reason === undefined
        ? { status: result.status as RecipeJobResult["status"] }
        : { status: "skipped", reason: result.reason };
    }
    const policy = route.retry;
    if (policy && attempts <= policy.retries && shouldRetry(policy, outcome.error, attempts)) {
      throw new RetryableAttempt(
        `attempt ${attempts} failed: ${redact(describe(outcome.error))}`,
        retryAfterOf(outcome.error),
      );
    }
    const error = new RecipeError({
      recipe: route.recipe,
      event: route.event,
      attempts,
      timedOut: outcome.timedOut,
      cause: outcome.error,
    });
    result.status = "rejected";
    result.error = error;
    contain(() => onError(error));
    settle(route, data, result);
    const final = new UnrecoverableError(error.message);
    final.stack = `${final.name}: ${error.message}`;
    throw final;
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
        if (error instanceof ClosingAttempt) return 0;
        const policy = routeOf(job?.data as RecipeJobData | undefined)?.retry;
        if (!policy) return 0;
        return Math.round(backoffDelay(policy, attemptsMade, error));
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
        const timer = setTimeout(
          () => giveUp?.(new ClosingAttempt("the worker closed before the handler finished")),
          closeTimeoutMs,
        );
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
