import { RecipeError, timeoutError } from "./errors.ts";
import type { EventName } from "./events.ts";
import type { HandlerContext } from "./recipe.ts";
import { backoffDelay, type RetryPolicy } from "./retry.ts";
import { isSkip } from "./skip.ts";

/** One handler of one event, with the policy that applies to it; built once, at compose time. */
export interface Route {
  recipe: string;
  event: EventName;
  handler: (message: unknown, context: HandlerContext) => unknown;
  timeoutMs: number;
  retry: RetryPolicy | undefined;
}

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

// setTimeout cannot wait longer than this; a longer timeout is as good as none.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Runs a handler to its end: every attempt its retry policy allows, each raced against its timeout,
 * then a result. A handler still running at its timeout is not waited for; its signal is aborted so its
 * I/O can stop. Calls `onError` once when the last attempt failed. Never rejects.
 */
export async function runRoute(
  route: Route,
  message: unknown,
  dispatchId: string,
  onError: (error: RecipeError) => unknown,
): Promise<HandlerResult> {
  const { recipe, event, retry, timeoutMs } = route;
  const started = performance.now();
  let attempts = 0;
  // [failed, value or error, timed out]
  let outcome: [boolean, unknown, boolean?];
  for (;;) {
    let controller: AbortController | undefined;
    let timeout: Error | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const context: HandlerContext = {
      event,
      recipe,
      attempt: ++attempts,
      deadline: Date.now() + timeoutMs,
      dispatchId,
      // Made on first use: most handlers never read it, and the session event is on the hot path.
      get signal() {
        controller ??= new AbortController();
        if (timeout) controller.abort(timeout);
        return controller.signal;
      },
    };
    outcome = await new Promise((resolve) => {
      if (timeoutMs <= MAX_TIMER_MS) {
        timer = setTimeout(() => {
          timeout = timeoutError(timeoutMs);
          controller?.abort(timeout);
          resolve([true, timeout, true]);
        }, timeoutMs);
      }
      try {
        Promise.resolve(route.handler(message, context)).then(
          (value) => resolve([false, value]),
          (error: unknown) => resolve([true, error]),
        );
      } catch (error) {
        resolve([true, error]);
      }
    });
    clearTimeout(timer);
    const [failed, error] = outcome;
    if (
      !failed ||
      isSkip(error) ||
      !retry ||
      attempts > retry.retries ||
      !shouldRetry(retry, error, attempts)
    ) {
      break;
    }
    await new Promise((wake) => setTimeout(wake, backoffDelay(retry, attempts)));
  }
  const [failed, value, timedOut = false] = outcome;
  const result: HandlerResult = {
    recipe,
    status: "fulfilled",
    attempts,
    durationMs: performance.now() - started,
  };
  if (isSkip(value)) {
    result.status = "skipped";
    result.reason = value.reason;
  } else if (failed) {
    const error = new RecipeError({ recipe, event, attempts, timedOut, cause: value });
    result.status = "rejected";
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
    const returned = callback() as { catch?: unknown } | undefined;
    if (returned && typeof returned.catch === "function")
      (returned as Promise<unknown>).catch(() => {});
  } catch {
    // A broken logger must not break the dispatch it reports on.
  }
}
