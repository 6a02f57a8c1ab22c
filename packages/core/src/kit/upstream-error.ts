import { prefixed } from "../config-error.ts";
import { SAFE_TO_LOG } from "../errors.ts";
import { redact } from "../redact.ts";

/** What an {@link UpstreamError} knows of the failure besides its message. */
export interface UpstreamErrorOptions {
  /** Whether another attempt may succeed; core's `isRetryable` reads it first. */
  retryable?: boolean;
  /** How long the upstream asked to wait before another attempt (a `Retry-After`), in ms; core's retry never comes sooner, and reports instead when it is longer than `maxDelayMs`. */
  retryAfterMs?: number;
  /** The HTTP status the upstream answered, if it answered. */
  status?: number;
  /** The upstream's or the SDK's error code (`rate_limited`, `ECONNRESET`, `EENVELOPE`). */
  code?: string;
  /** The SDK's error, as it was: kept as {@link UpstreamError.unsafeCause}, never printed. */
  cause?: unknown;
  /** Secrets known to the recipe (a write key, a password), removed from the message as `redact` does. */
  secrets?: readonly string[];
}

/**
 * The base of every recipe's "the service failed" error. Its message is `[auth-recipes/<pkg>] <message>`,
 * redacted (emails, credentials, the given `secrets`) and on one line; its fields say whether to retry
 * (`retryable`, `retryAfterMs`, `status`, `code`). It is safe to log as it is: the SDK's error, which
 * can hold the user's email, a request body or a key, is kept as the non-enumerable `unsafeCause`
 * rather than `cause`, because `console.error`, `util.inspect` and pino print a `cause` even when it is
 * not enumerable.
 *
 * @example
 * ```ts
 * export class SlackNotifyError extends UpstreamError {
 *   override name = "SlackNotifyError";
 * }
 * throw new SlackNotifyError("slack", `chat.postMessage failed: ${error.message}`, { retryable: true, status: 503, cause: error });
 * ```
 */
export class UpstreamError extends Error {
  override name = "UpstreamError";
  /** Whether another attempt may succeed, when the recipe knows. */
  declare readonly retryable?: boolean;
  /** How long the upstream asked to wait before another attempt, in ms. */
  declare readonly retryAfterMs?: number;
  /** The HTTP status the upstream answered. */
  declare readonly status?: number;
  /** The upstream's or the SDK's error code. */
  declare readonly code?: string;
  /**
   * The SDK's error as it was thrown, for debugging: non-enumerable, so no logger prints it. It may hold
   * the user's email address, request bodies or credentials: never log it.
   */
  declare readonly unsafeCause: unknown;

  constructor(pkg: string, message: string, options: UpstreamErrorOptions = {}) {
    super(prefixed(pkg, redact(message, options)));
    const { retryable, retryAfterMs, status, code } = options;
    if (typeof retryable === "boolean") this.retryable = retryable;
    if (typeof retryAfterMs === "number" && retryAfterMs >= 0) this.retryAfterMs = retryAfterMs;
    if (typeof status === "number") this.status = status;
    if (typeof code === "string") this.code = redact(code);
    Object.defineProperty(this, "unsafeCause", { value: options.cause, configurable: true });
    // Tells core's RecipeError to keep this error as its `cause`: its message and fields are safe to print.
    Object.defineProperty(this, SAFE_TO_LOG, { value: true });
  }
}
