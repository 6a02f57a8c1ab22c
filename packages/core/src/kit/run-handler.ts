// The one runner: what composeEvents does for each handler, for every other host of recipes (a queue
// worker, a queue's in-process fallback, another auth library's hooks), so none keeps a copy of the loop,
// the retry decision or the default onError.
import type { DispatchReport } from "../compose.ts";
import { defaultOnError } from "../default-on-error.ts";
import { contain, DispatchId, type HandlerResult, runRoute } from "../dispatch.ts";
import type { RecipeError } from "../errors.ts";
import type { Route } from "../routes.ts";
import type { RetryLater, RunBounds } from "../run-bounds.ts";

/** Options for {@link runHandler}. */
export interface RunHandlerOptions extends RunBounds {
  /**
   * The dispatch's id, the handler's `context.dispatchId` on every attempt (a queued job's, so that
   * idempotency keys hold across retries).
   * @default a new random id, drawn on first use
   */
  dispatchId?: string;
  /**
   * Called once when the last attempt failed, with its `RecipeError`. A throw or rejection here is contained.
   * @default {@link defaultOnError}: one line on the console
   */
  onError?: (error: RecipeError) => unknown;
  /** Called once when the handler is done (not with a {@link RetryLater}), with a one-handler report. */
  onSettled?: (report: DispatchReport) => unknown;
}

/**
 * Runs one handler as `composeEvents` runs each of its handlers: every attempt its route's retry policy
 * allows (each bounded by the route's `timeoutMs`, retried only when `retryIf` says so, after
 * `backoffDelay`, which reads a `retryAfterMs` anywhere in the failure's cause chain), then builds its
 * `RecipeError` and calls `onError` when it failed, and `onSettled` with a one-handler report. Never
 * rejects, whatever the handler or the callbacks do.
 *
 * For other hosts: `attempt` numbers the first attempt (a queued job's earlier attempts count);
 * `deadline` and `signal` bound the whole run (a fallback inside a handler with its own deadline: each
 * attempt's timeout ends at the deadline, an abort ends the running attempt, no retry waits past it);
 * `retryLater: true` hands a retry the policy allows back as a {@link RetryLater} (`retryInMs`, a
 * redacted `reason`) instead of waiting in memory, for a queue to retry durably.
 *
 * @example
 * ```ts
 * const run = await runHandler(route, message, { dispatchId: job.data.dispatchId, attempt: job.attemptsMade + 1, retryLater: true, onError });
 * if (run.status === "retry") throw new DelayedRetry(run.reason, run.retryInMs); // the queue waits, then runs it again
 * ```
 */
export function runHandler(
  route: Route,
  message: unknown,
  options: RunHandlerOptions & { retryLater: true },
): Promise<HandlerResult | RetryLater>;
export function runHandler(
  route: Route,
  message: unknown,
  options?: RunHandlerOptions,
): Promise<HandlerResult>;
export async function runHandler(
  route: Route,
  message: unknown,
  options: RunHandlerOptions = {},
): Promise<HandlerResult | RetryLater> {
  const { dispatchId, onError = defaultOnError, onSettled } = options;
  const dispatch = dispatchId === undefined ? new DispatchId() : { value: dispatchId };
  const run = await runRoute(
    route,
    message,
    dispatch,
    onError,
    () => performance.now(),
    // Bounds are read once: a caller's object that changes later does not change this run.
    {
      ...(options.attempt !== undefined ? { attempt: options.attempt } : {}),
      ...(options.deadline !== undefined ? { deadline: options.deadline } : {}),
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
      ...(options.traceCarrier !== undefined ? { traceCarrier: options.traceCarrier } : {}),
      ...(options.retryLater ? { retryLater: true } : {}),
    },
  );
  if (run.status !== "retry" && onSettled) {
    const report: DispatchReport = {
      event: route.event,
      dispatchId: dispatch.value,
      durationMs: run.durationMs,
      results: [run],
    };
    contain(() => onSettled(report));
  }
  return run;
}
