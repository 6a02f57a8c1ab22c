// The one runner: what composeEvents does for each handler, for every other host of recipes (a queue
// worker, a queue's in-process fallback, another auth library's hooks), so none keeps a copy of the loop,
// the retry decision or the default onError.
import { attemptOnce } from "../attempt.ts";
import type { DispatchReport } from "../compose.ts";
import { defaultOnError } from "../default-on-error.ts";
import { publicError } from "../diagnostics.ts";
import type { RecipeError } from "../errors.ts";
import type { AttemptOutcome, HandlerResult } from "../outcomes.ts";
import type { Route } from "../routes.ts";
import type { RetryLater, RunBounds } from "../run-bounds.ts";
import { contain, DispatchId, type RunSteps, runRoute } from "../run-route.ts";

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
  const clock = () => performance.now();
  const run = await runRoute(
    route,
    message,
    dispatch,
    onError,
    clock,
    steps(route, message, dispatch, clock, options),
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

/** The error an attempt ends with when its host's signal aborts: the signal's reason, as an Error. */
function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  const error = new Error("the host stopped the attempt");
  error.name = "AbortError";
  return error;
}

function failed(error: Error, timedOut: boolean): Promise<AttemptOutcome> {
  return Promise.resolve({ status: "rejected", error, timedOut, durationMs: 0 });
}

/** How runHandler steps core's loop: each attempt within the bounds, each retry waited or handed back. */
function steps(
  route: Route,
  message: unknown,
  dispatch: { readonly value: string },
  clock: () => number,
  bounds: RunBounds,
): RunSteps {
  // Read once: a caller's object that changes later does not change this run.
  const { attempt = 1, deadline, signal, traceCarrier, retryLater } = bounds;
  const started = clock();
  // With a signal, the handler is linked to it: an abort ends the attempt and aborts the handler's own
  // signal, as a timeout does.
  const linked: Route = signal
    ? {
        ...route,
        handler: (input, context) =>
          new Promise((resolve, reject) => {
            const stop = () => {
              const error = abortError(signal);
              (context as { stop?: (error: Error) => unknown }).stop?.(error);
              reject(error);
            };
            signal.addEventListener("abort", stop, { once: true });
            const done = () => signal.removeEventListener("abort", stop);
            try {
              Promise.resolve(route.handler(input, context)).then(
                (value) => {
                  done();
                  resolve(value);
                },
                (error: unknown) => {
                  done();
                  reject(error);
                },
              );
            } catch (error) {
              done();
              reject(error);
            }
          }),
      }
    : route;
  return {
    before: attempt - 1,
    durable: retryLater === true,
    attempt(number) {
      if (signal?.aborted) return failed(abortError(signal), false);
      const left = deadline === undefined ? Number.POSITIVE_INFINITY : deadline - Date.now();
      if (!(left > 0)) {
        // Not started at all: a handler given no time would only be cut off mid-effect.
        const error = new Error("the deadline passed before the attempt started");
        error.name = "TimeoutError";
        return failed(error, true);
      }
      const bounded = left < linked.timeoutMs ? { ...linked, timeoutMs: left } : linked;
      return attemptOnce(bounded, message, number, dispatch, clock, traceCarrier);
    },
    retry(delay, attempts, outcome) {
      if (retryLater) {
        const later: RetryLater = {
          recipe: route.recipe,
          status: "retry",
          attempts,
          durationMs: clock() - started,
          retryInMs: delay,
          reason: publicError(outcome.error).message,
          timedOut: outcome.timedOut,
        };
        return Promise.resolve(later);
      }
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
    },
  };
}
