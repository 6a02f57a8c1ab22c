import { type Tracing, traceAttempt } from "./diagnostics.ts";
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

/** A dispatch's id, drawn on first use: most dispatches never need one (no onSettled, no idempotency). */
export class DispatchId {
  private id: string | undefined;
  get value(): string {
    this.id ??= crypto.randomUUID();
    return this.id;
  }
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
    private readonly dispatch: DispatchId,
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
    this.timeout = timeoutError(ms);
    this.controller?.abort(this.timeout);
    return this.timeout;
  }
}

const resolved = Promise.resolve();

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
  dispatch: DispatchId,
  onError: (error: RecipeError) => unknown,
  clock: () => number,
  channels?: Tracing,
): Promise<HandlerResult> {
  const { recipe, event, retry, timeoutMs } = route;
  const started = clock();
  let attempts = 0;
  let outcome: Outcome;
  for (;;) {
    const context = new AttemptContext(event, recipe, ++attempts, Date.now() + timeoutMs, dispatch);
    outcome = await (channels?.attempt.hasSubscribers
      ? traceTuple(channels.attempt, context, () => attemptOnce(route, message, context))
      : attemptOnce(route, message, context));
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
    durationMs: clock() - started,
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

type Outcome = [failed: boolean, value: unknown, timedOut?: boolean];

/** One attempt raced against its timeout; resolves with how it ended, never rejects. */
function attemptOnce(route: Route, message: unknown, context: AttemptContext): Promise<Outcome> {
  const { timeoutMs } = route;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let settled = false;
  return new Promise<Outcome>((resolve) => {
    const settle = (result: Outcome) => {
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    try {
      Promise.resolve(route.handler(message, context)).then(
        (value) => settle([false, value]),
        (error: unknown) => settle([true, error]),
      );
    } catch (error) {
      settle([true, error]);
    }
    // The timer is set a microtask later, and only if the handler has not settled by then: handlers
    // that finish at once (most session handlers) cost no timer at all.
    if (!settled && timeoutMs <= MAX_TIMER_MS) {
      // Not queueMicrotask: in Node it makes an AsyncResource each call.
      resolved.then(() => {
        if (!settled)
          timer = setTimeout(() => settle([true, context.timeOut(timeoutMs), true]), timeoutMs);
      });
    }
  });
}

function traceTuple(
  channel: Tracing["attempt"],
  context: AttemptContext,
  run: () => Promise<Outcome>,
): Promise<Outcome> {
  const { event, recipe, attempt, dispatchId } = context;
  return traceAttempt(channel, { event, recipe, attempt, dispatchId }, () =>
    run().then((outcome) => {
      const [failed, value, timedOut = false] = outcome;
      const status = isSkip(value) ? "skipped" : failed ? "rejected" : "fulfilled";
      const reason = isSkip(value) ? value.reason : undefined;
      return { outcome, status, error: failed ? value : undefined, reason, timedOut };
    }),
  ).then((traced) => traced.outcome);
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
