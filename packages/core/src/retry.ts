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
   * The longest delay between attempts, in ms. It also bounds the delay a failure asks for: an error with
   * a number `retryAfterMs` (a 429's `Retry-After`) makes the next attempt wait at least that long, but
   * never longer than this.
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
 * The delay, in ms, before the retry that follows failed attempt number `attempt` (counting from 1):
 * exponential from `minDelayMs` by `factor`, at most `maxDelayMs`, randomised between half and all of it
 * with `jitter`. When the failure asks for a delay (a number `retryAfterMs` field, as an
 * `UpstreamError` made from a 429's `Retry-After` carries), the delay is at least that, still at most
 * `maxDelayMs`.
 *
 * @example
 * ```ts
 * await new Promise((wake) => setTimeout(wake, backoffDelay(route.retry, attempt, error)));
 * ```
 */
export function backoffDelay(policy: RetryPolicy, attempt: number, error?: unknown): number {
  const { maxDelayMs } = policy;
  let delay = Math.min(maxDelayMs, policy.minDelayMs * policy.factor ** (attempt - 1));
  if (policy.jitter) delay = delay / 2 + (Math.random() * delay) / 2;
  const asked = retryAfter(error);
  return asked > delay ? Math.min(asked, maxDelayMs) : delay;
}

function retryAfter(error: unknown): number {
  try {
    const ms = (error as { retryAfterMs?: unknown } | null)?.retryAfterMs;
    return typeof ms === "number" && ms > 0 ? ms : 0;
  } catch {
    return 0;
  }
}
