import { attemptOnce } from "./attempt.ts";
import { newDispatchId } from "./dispatch-id.ts";
import { RecipeError } from "./errors.ts";
import type { AttemptOutcome, HandlerResult } from "./outcomes.ts";
import { backoffDelay, type RetryPolicy, retryDelay } from "./retry.ts";
import type { Route } from "./routes.ts";
import type { RetryLater } from "./run-bounds.ts";

/** A dispatch's id, drawn on first use: most dispatches never need one (no onSettled, no idempotency). */
export class DispatchId {
  private id: string | undefined;
  get value(): string {
    this.id ??= newDispatchId();
    return this.id;
  }
}

/**
 * How a host other than `composeEvents` steps a run (the kit's `runHandler`: bounds, a queue's retries).
 * Kept out of this file so that `composeEvents`' entry carries none of it.
 * @internal
 */
export interface RunSteps {
  /** Attempts made before this run (a queued job's earlier ones). */
  readonly before: number;
  /** Whether retries are handed to a queue that waits durably (as long as the service asks). */
  readonly durable: boolean;
  /** Runs attempt number `attempt`. */
  attempt(attempt: number): Promise<AttemptOutcome>;
  /** Before a retry the policy allows: go on after `delay` (true), stop here (false), or hand it back. */
  retry(delay: number, attempts: number, outcome: AttemptOutcome): Promise<boolean | RetryLater>;
}

/**
 * Runs a handler to its end: every attempt its retry policy allows (each one {@link attemptOnce}, the
 * function behind the kit's `runAttempt`), then a result. Calls `onError` once when the last attempt
 * failed. Never rejects. `steps` (the kit's `runHandler`) run its attempts and decide its waits; without
 * them it never resolves with a {@link RetryLater}.
 */
export function runRoute(
  route: Route,
  message: unknown,
  dispatch: { readonly value: string },
  onError: (error: RecipeError) => unknown,
  clock: () => number,
  steps?: RunSteps,
): Promise<HandlerResult | RetryLater> {
  // One attempt and no host steps (most of composeEvents' handlers, and every session handler): no
  // loop, no async function's extra turn of the microtask queue.
  if (!route.retry && !steps) {
    const started = clock();
    return attemptOnce(route, message, 1, dispatch, clock).then((outcome) =>
      resultOf(route, outcome, 1, started, onError, clock),
    );
  }
  return runAttempts(route, message, dispatch, onError, clock, steps);
}

async function runAttempts(
  ...[route, message, dispatch, onError, clock, steps]: Parameters<typeof runRoute>
): Promise<HandlerResult | RetryLater> {
  const { retry } = route;
  const started = clock();
  let attempts = steps ? steps.before : 0;
  let outcome: AttemptOutcome;
  for (;;) {
    outcome = await (steps
      ? steps.attempt(++attempts)
      : attemptOnce(route, message, ++attempts, dispatch, clock));
    if (
      outcome.status !== "rejected" ||
      !retry ||
      attempts > retry.retries ||
      !shouldRetry(retry, outcome.error, attempts)
    ) {
      break;
    }
    const failure = askedDelay(outcome.error);
    // A queue waits durably, as long as the service asked; a host waiting in memory stops and reports
    // instead of waiting past maxDelayMs (retryDelay's undefined). A retry earlier than asked never helps.
    const delay = steps?.durable
      ? backoffDelay(retry, attempts, failure)
      : retryDelay(retry, attempts, failure);
    if (delay === undefined) break;
    if (!steps) await new Promise((wake) => setTimeout(wake, delay));
    else {
      const next = await steps.retry(delay, attempts, outcome);
      if (next === false) break;
      if (next !== true) return next;
    }
  }
  return resultOf(route, outcome, attempts, started, onError, clock);
}

/** The handler's result from its last attempt's outcome; calls `onError` when that attempt failed. */
function resultOf(
  route: Route,
  outcome: AttemptOutcome,
  attempts: number,
  started: number,
  onError: (error: RecipeError) => unknown,
  clock: () => number,
): HandlerResult {
  const { status } = outcome;
  const result: HandlerResult = {
    recipe: route.recipe,
    status,
    attempts,
    durationMs: clock() - started,
  };
  if (status === "skipped") {
    result.reason = outcome.reason;
  } else if (status === "rejected") {
    const { recipe, event } = route;
    const error = new RecipeError({
      recipe,
      event,
      attempts,
      timedOut: outcome.timedOut,
      cause: outcome.error,
    });
    result.error = error;
    contain(() => onError(error));
  }
  return result;
}

/**
 * The failure as `backoffDelay` reads it, with the `retryAfterMs` its cause chain asks for (a wrapped
 * 429 keeps its `Retry-After` in a `cause`): the one place a host reads it.
 */
function askedDelay(error: unknown): unknown {
  let current = error;
  try {
    for (let depth = 0; depth < 5 && current; depth++) {
      const ms = (current as { retryAfterMs?: unknown }).retryAfterMs;
      if (typeof ms === "number") return { retryAfterMs: ms };
      current = (current as { cause?: unknown }).cause;
    }
  } catch {
    // A getter or a Proxy that throws: no delay asked.
  }
  return error;
}

/** The one retry decision: whether `retryIf` accepts this failure; a `retryIf` that throws says no. */
function shouldRetry(retry: RetryPolicy, error: unknown, attempt: number): boolean {
  try {
    return retry.retryIf(error, attempt) === true;
  } catch {
    return false;
  }
}

/** Calls a user callback so that neither its throw nor its rejection escapes. */
export function contain(callback: () => unknown): void {
  try {
    ignoreRejection(callback());
  } catch {
    // A broken logger must not break the dispatch it reports on.
  }
}

/** Marks a callback's returned promise (or thenable) handled, so its rejection is not unhandled. May throw. */
export function ignoreRejection(returned: unknown): void {
  const then = (returned as { then?: unknown } | null | undefined)?.then;
  if (typeof then === "function") then.call(returned, undefined, () => {});
}
