import { type AttemptOutcome, attemptOnce } from "./attempt.ts";
import { publicError } from "./diagnostics.ts";
import { RecipeError } from "./errors.ts";
import { backoffDelay, type RetryPolicy } from "./retry.ts";
import type { Route } from "./routes.ts";
import type { RetryLater, RunBounds } from "./run-bounds.ts";

/** How one handler ended in one dispatch. */
export interface HandlerResult {
  /** The recipe's name. */
  recipe: string;
  /** `"skipped"` when the handler returned or threw `skip(reason)`. */
  status: "fulfilled" | "rejected" | "skipped";
  /** Attempts made, counting from 1. */
  attempts: number;
  /** From the first attempt's start to the handler's end, in ms. */
  durationMs: number;
  /** The error passed to `onError`, when rejected. */
  error?: RecipeError;
  /** The reason given to `skip()`, when skipped. */
  reason?: string;
}

/** A dispatch's id, drawn on first use: most dispatches never need one (no onSettled, no idempotency). */
export class DispatchId {
  private id: string | undefined;
  get value(): string {
    this.id ??= crypto.randomUUID();
    return this.id;
  }
}

/**
 * Runs a handler to its end: every attempt its retry policy allows (each one {@link attemptOnce}, the
 * function behind the kit's `runAttempt`), then a result. Calls `onError` once when the last attempt
 * failed. Never rejects. `bounds` (the kit's `runHandler`) bound it by a deadline and a signal, or hand
 * retries back to a queue; without them it never resolves with a {@link RetryLater}.
 */
export async function runRoute(
  route: Route,
  message: unknown,
  dispatch: { readonly value: string },
  onError: (error: RecipeError) => unknown,
  clock: () => number,
  bounds?: RunBounds,
): Promise<HandlerResult | RetryLater> {
  const { retry } = route;
  const started = clock();
  let attempts = bounds?.attempt === undefined ? 0 : bounds.attempt - 1;
  let outcome: AttemptOutcome;
  for (;;) {
    outcome = await (bounds
      ? boundedAttempt(route, message, ++attempts, dispatch, clock, bounds)
      : attemptOnce(route, message, ++attempts, dispatch, clock));
    if (
      outcome.status !== "rejected" ||
      !retry ||
      attempts > retry.retries ||
      !shouldRetry(retry, outcome.error, attempts)
    ) {
      break;
    }
    const delay = backoffDelay(retry, attempts, askedDelay(outcome.error));
    if (bounds?.retryLater) {
      return {
        recipe: route.recipe,
        status: "retry",
        attempts,
        durationMs: clock() - started,
        retryInMs: delay,
        reason: publicError(outcome.error).message,
        timedOut: outcome.timedOut,
      };
    }
    if (bounds && !(await waitWithin(delay, bounds))) break;
    else if (!bounds) await new Promise((wake) => setTimeout(wake, delay));
  }
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

/** One attempt within the run's bounds: its timeout ends at the deadline at the latest. */
function boundedAttempt(
  route: Route,
  message: unknown,
  attempt: number,
  dispatch: { readonly value: string },
  clock: () => number,
  bounds: RunBounds,
): Promise<AttemptOutcome> {
  const { deadline, signal, traceCarrier } = bounds;
  const left = deadline === undefined ? Number.POSITIVE_INFINITY : deadline - Date.now();
  if (!(left > 0)) {
    // Not started at all: a handler given no time would only be cut off mid-effect.
    const error = new Error("the deadline passed before the attempt started");
    error.name = "TimeoutError";
    return Promise.resolve({ status: "rejected", error, timedOut: true, durationMs: 0 });
  }
  const bounded = left < route.timeoutMs ? { ...route, timeoutMs: left } : route;
  return attemptOnce(bounded, message, attempt, dispatch, clock, traceCarrier, signal);
}

/** Waits `delay` ms unless that passes the deadline or the signal aborts: whether to go on. */
function waitWithin(delay: number, bounds: RunBounds): Promise<boolean> {
  const { deadline, signal } = bounds;
  if (signal?.aborted || (deadline !== undefined && Date.now() + delay >= deadline)) {
    return Promise.resolve(false);
  }
  return new Promise((resolve) => {
    const done = (goOn: boolean) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", aborted);
      resolve(goOn);
    };
    const aborted = () => done(false);
    const timer = setTimeout(() => done(true), delay);
    signal?.addEventListener("abort", aborted, { once: true });
  });
}

/**
 * The failure as `backoffDelay` reads it, with the `retryAfterMs` its cause chain asks for (a wrapped
 * 429 keeps its `Retry-After` in a `cause`): the one place a host reads it.
 */
function askedDelay(error: unknown): unknown {
  try {
    let current = error;
    for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
      const value = (current as { retryAfterMs?: unknown }).retryAfterMs;
      if (typeof value === "number" && value >= 0) {
        return current === error ? error : { retryAfterMs: value };
      }
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
