import { type AttemptOutcome, attemptOnce } from "./attempt.ts";
import { newDispatchId } from "./dispatch-id.ts";
import { RecipeError } from "./errors.ts";
import { type RetryPolicy, retryDelay } from "./retry.ts";
import type { Route } from "./routes.ts";

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
    this.id ??= newDispatchId();
    return this.id;
  }
}

/**
 * Runs a handler to its end: every attempt its retry policy allows (each one {@link attemptOnce}, the
 * function behind the kit's `runAttempt`), then a result. Calls `onError` once when the last attempt
 * failed. Never rejects.
 */
export async function runRoute(
  route: Route,
  message: unknown,
  dispatch: DispatchId,
  onError: (error: RecipeError) => unknown,
  clock: () => number,
): Promise<HandlerResult> {
  const { retry } = route;
  const started = clock();
  let attempts = 0;
  let outcome: AttemptOutcome;
  for (;;) {
    outcome = await attemptOnce(route, message, ++attempts, dispatch, clock);
    if (
      outcome.status !== "rejected" ||
      !retry ||
      attempts > retry.retries ||
      !shouldRetry(retry, outcome.error, attempts)
    ) {
      break;
    }
    // Undefined when the service asked for a longer wait than maxDelayMs: stop and report instead.
    const delay = retryDelay(retry, attempts, outcome.error);
    if (delay === undefined) break;
    await new Promise((wake) => setTimeout(wake, delay));
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
