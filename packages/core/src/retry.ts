import { configError, configRangeError } from "./config-error.ts";
import { isRetryable } from "./retryable.ts";

/** How failed attempts are retried, with exponential backoff. */
export interface RetryOptions {
  /**
   * Attempts after the first.
   * @default 3
   */
  retries?: number;
  /**
   * The delay before the first retry, in ms.
   * @default 100
   */
  minDelayMs?: number;
  /**
   * The longest delay between attempts, in ms. An error with a number `retryAfterMs` (a 429's
   * `Retry-After`) makes the next attempt wait at least that long; when it asks for longer than this,
   * there is no next attempt (the failure is reported to `onError`, its `cause.retryAfterMs` saying what
   * was asked): a retry earlier than the service asked would only meet the same refusal.
   * @default 5000
   */
  maxDelayMs?: number;
  /**
   * Each delay is the previous one times this.
   * @default 2
   */
  factor?: number;
  /**
   * Randomise each delay between half and all of it, so that many failing dispatches do not retry in step.
   * @default true
   */
  jitter?: boolean;
  /**
   * Whether to retry after this failure (the attempt that failed counts from 1).
   * @default isRetryable
   */
  retryIf?: (error: unknown, attempt: number) => boolean;
}

/** A retry policy with every field filled in. */
export type RetryPolicy = Required<RetryOptions>;

/** Validates a `retry` option and fills in its defaults; `false` becomes `undefined`. */
export function toRetryPolicy(
  retry: boolean | RetryOptions | undefined,
  where: string,
): RetryPolicy | undefined {
  if (retry === undefined || retry === false) return undefined;
  if (retry !== true && (typeof retry !== "object" || retry === null)) {
    throw configError("core", `${where}option "retry" must be a boolean or an object`);
  }
  const options = retry === true ? {} : retry;
  const policy: RetryPolicy = {
    retries: options.retries ?? 3,
    minDelayMs: options.minDelayMs ?? 100,
    maxDelayMs: options.maxDelayMs ?? 5000,
    factor: options.factor ?? 2,
    jitter: options.jitter ?? true,
    retryIf: options.retryIf ?? isRetryable,
  };
  const { retries, minDelayMs, maxDelayMs, factor, retryIf } = policy;
  // Negated so that NaN fails too; a delay must fit in a timer.
  if (
    !(
      Number.isInteger(retries) &&
      retries >= 0 &&
      minDelayMs >= 0 &&
      maxDelayMs < 2 ** 31 &&
      factor >= 1
    ) ||
    typeof retryIf !== "function"
  ) {
    throw configRangeError(
      "core",
      `${where}option "retry" needs whole retries ≥ 0, minDelayMs ≥ 0, maxDelayMs < 2^31, factor ≥ 1 and a retryIf function`,
    );
  }
  return policy;
}

/**
 * The delay, in ms, before the retry that follows failed attempt number `attempt` (counting from 1), or
 * `undefined` when there must be no retry: the one retry decision of every host that waits in memory.
 *
 * The delay is exponential from `minDelayMs` by `factor`, at most `maxDelayMs`, randomised between half
 * and all of it with `jitter`. When the failure asks for a delay (a number `retryAfterMs` field, as an
 * `UpstreamError` made from a 429's `Retry-After` carries), the delay is at least that: a retry earlier
 * than the service asked is never right. So when it asks for longer than `maxDelayMs`, or when the delay
 * would end after `deadline` (ms since the epoch, for a host that must be done by then), the answer is
 * `undefined`: stop retrying and report.
 *
 * @example
 * ```ts
 * const delay = retryDelay(route.retry, attempt, error, deadline);
 * if (delay === undefined) return report(error);
 * await new Promise((wake) => setTimeout(wake, delay));
 * ```
 */
export function retryDelay(
  policy: RetryPolicy,
  attempt: number,
  error?: unknown,
  deadline: number = Number.POSITIVE_INFINITY,
): number | undefined {
  const asked = retryAfter(error);
  if (asked > policy.maxDelayMs) return undefined;
  const delay = Math.max(asked, backoff(policy, attempt));
  return Date.now() + delay > deadline ? undefined : delay;
}

/**
 * The delay, in ms, before the retry that follows failed attempt number `attempt`, for a host whose
 * waits are durable and may be long (a queue's delayed set): the backoff of {@link retryDelay}, raised to
 * whatever the failure asks for (`retryAfterMs`), even beyond `maxDelayMs`, since a retry earlier than
 * the service asked is never right. A host that waits in memory uses {@link retryDelay}, which stops
 * instead of waiting longer than `maxDelayMs`.
 *
 * @example
 * ```ts
 * await queue.add(name, data, { delay: Math.round(backoffDelay(policy, attemptsMade, error)) });
 * ```
 */
export function backoffDelay(policy: RetryPolicy, attempt: number, error?: unknown): number {
  return Math.max(retryAfter(error), backoff(policy, attempt));
}

function backoff(policy: RetryPolicy, attempt: number): number {
  const delay = Math.min(policy.maxDelayMs, policy.minDelayMs * policy.factor ** (attempt - 1));
  return policy.jitter ? delay / 2 + (Math.random() * delay) / 2 : delay;
}

function retryAfter(error: unknown): number {
  try {
    const ms = (error as { retryAfterMs?: unknown } | null)?.retryAfterMs;
    // Infinity and NaN are no delay a timer can wait; an absurd ask still stops the retries above.
    return typeof ms === "number" && ms > 0 ? Math.min(ms, 2 ** 31 - 1) : 0;
  } catch {
    return 0;
  }
}
