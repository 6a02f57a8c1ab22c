import { isNetworkCode } from "./network.ts";

/**
 * Whether a failure is worth another attempt: the default `retryIf`.
 *
 * True for a timeout (`name: "TimeoutError"`), a network error code (`ECONNRESET`, `ECONNREFUSED`,
 * `ETIMEDOUT`, `EPIPE`, `EAI_AGAIN`, `ENOTFOUND`, `UND_ERR_*`, …), an HTTP `status` or `statusCode` of
 * 408, 425, 429 or 5xx, and an error marked `retryable: true`. False for an error marked
 * `retryable: false` and for anything else: a `TypeError` from a bug is not retried. An error whose
 * `cause` is retryable (as `fetch` wraps network errors) is retryable. Never throws, whatever the value.
 */
export function isRetryable(error: unknown): boolean {
  try {
    // Depth-bounded: a cause chain can be circular.
    for (let depth = 0; depth < 5 && typeof error === "object" && error !== null; depth++) {
      const e = error as Record<string, unknown>;
      if (typeof e.retryable === "boolean") return e.retryable;
      if (e.name === "TimeoutError" || isNetworkCode(e.code)) return true;
      const status = e.status ?? e.statusCode;
      if (typeof status === "number") {
        return (
          status === 408 || status === 425 || status === 429 || (status >= 500 && status < 600)
        );
      }
      error = e.cause;
    }
  } catch {
    // A Proxy or a getter that throws: nothing to go by.
  }
  return false;
}
