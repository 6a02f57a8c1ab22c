import { type AttemptTrace, traceAttempt, tracing } from "./diagnostics.ts";
import { timeoutError } from "./errors.ts";
import type { EventName } from "./events.ts";
import type { AttemptOutcome } from "./outcomes.ts";
import type { HandlerContext } from "./recipe.ts";
import type { Route } from "./routes.ts";
import { skipReason } from "./skip.ts";

/** A dispatch id, or the lazy holder of one: most dispatches never read it. */
interface DispatchIdHolder {
  readonly value: string;
}

/**
 * A handler's context. A class, not an object literal, because its lazy getters are then shared on the
 * prototype: a literal with accessors is several times slower to make, on the hot path.
 */
class AttemptContext implements HandlerContext {
  private controller: AbortController | undefined;
  private timeout: Error | undefined;

  constructor(
    readonly event: EventName,
    readonly recipe: string,
    readonly attempt: number,
    readonly deadline: number,
    private readonly dispatch: DispatchIdHolder,
  ) {}

  get dispatchId(): string {
    return this.dispatch.value;
  }

  // Made on first use: most handlers never read it.
  get signal(): AbortSignal {
    this.controller ??= new AbortController();
    if (this.timeout) this.controller.abort(this.timeout);
    return this.controller.signal;
  }

  /** Marks the attempt timed out, aborts its signal, and returns the timeout error. */
  timeOut(ms: number): Error {
    return this.stop(timeoutError(ms));
  }

  /**
   * Aborts the handler's signal with `error`: its host's own bound ran out (the kit's `runHandler`).
   * @internal
   */
  stop(error: Error): Error {
    this.timeout = error;
    this.controller?.abort(error);
    return error;
  }
}

const resolved = Promise.resolve();

// setTimeout cannot wait longer than this; a longer timeout is as good as none.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * One attempt, for core's own loop: the dispatch id may be lazy, and the clock is `() => 0` when no one
 * reads durations. {@link runAttempt} is the public face of this same function.
 * @internal
 */
export function attemptOnce(
  route: Route,
  message: unknown,
  attempt: number,
  dispatch: DispatchIdHolder,
  clock: () => number,
  traceCarrier?: Readonly<Record<string, string>>,
): Promise<AttemptOutcome> {
  // While nobody subscribes, tracing costs this one read (see diagnostics.ts).
  const channel = tracing()?.attempt;
  if (!channel?.hasSubscribers) return runOnce(route, message, attempt, dispatch, clock);
  const { event, recipe } = route;
  const trace: AttemptTrace = { event, recipe, attempt, dispatchId: dispatch.value };
  if (traceCarrier) trace.traceCarrier = traceCarrier;
  return traceAttempt(channel, trace, () => runOnce(route, message, attempt, dispatch, clock));
}

function runOnce(
  route: Route,
  message: unknown,
  attempt: number,
  dispatch: DispatchIdHolder,
  clock: () => number,
): Promise<AttemptOutcome> {
  const { timeoutMs } = route;
  const started = clock();
  const context = new AttemptContext(
    route.event,
    route.recipe,
    attempt,
    Date.now() + timeoutMs,
    dispatch,
  );
  return new Promise((resolve) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let settled = false;
    const settle = (failed: boolean, value: unknown, timedOut: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const reason = skipReason(value);
      const outcome: AttemptOutcome = {
        status: reason !== undefined ? "skipped" : failed ? "rejected" : "fulfilled",
        timedOut,
        durationMs: clock() - started,
      };
      if (reason !== undefined) outcome.reason = reason;
      else if (failed) outcome.error = value;
      resolve(outcome);
    };
    try {
      Promise.resolve(route.handler(message, context)).then(
        (value) => settle(false, value, false),
        (error: unknown) => settle(true, error, false),
      );
    } catch (error) {
      settle(true, error, false);
    }
    // The timer is set a microtask later, and only if the handler has not settled by then: handlers
    // that finish at once (most session handlers) cost no timer at all.
    if (!settled && timeoutMs <= MAX_TIMER_MS) {
      // Not queueMicrotask: in Node it makes an AsyncResource each call.
      resolved.then(() => {
        if (!settled)
          timer = setTimeout(() => settle(true, context.timeOut(timeoutMs), true), timeoutMs);
      });
    }
  });
}

/**
 * Runs ONE attempt of a route with core's semantics, for hosts that decide retries themselves (a queue
 * worker): the handler gets a context with this `attempt` and `dispatchId`, a `deadline` and a `signal`
 * that aborts at the route's timeout; a timed-out handler is not waited for. A skip, a throw, a rejection
 * and any thrown value are contained in the outcome: it never rejects. The attempt is published on the
 * `auth-recipes:attempt` tracing channel, with `traceCarrier` when given.
 *
 * @example
 * ```ts
 * const outcome = await runAttempt(route, job.data.message, { attempt: job.attemptsMade + 1, dispatchId: job.data.dispatchId });
 * if (outcome.status === "rejected" && isRetryable(outcome.error)) throw outcome.error; // let the queue retry
 * ```
 */
export function runAttempt(
  route: Route,
  message: unknown,
  options: {
    attempt: number;
    dispatchId: string;
    /**
     * The trace context the job was queued with (what the `auth-recipes:enqueue` channel's subscribers
     * wrote into its carrier), published with the attempt so a tracer continues the enqueuer's trace.
     */
    traceCarrier?: Readonly<Record<string, string>>;
  },
): Promise<AttemptOutcome> {
  return attemptOnce(
    route,
    message,
    options.attempt,
    { value: options.dispatchId },
    () => performance.now(),
    options.traceCarrier,
  );
}
