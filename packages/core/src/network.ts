import { causeChain } from "./thrown.ts";

// Node's network error codes, undici's (fetch) family, and nodemailer's for a socket, connection or DNS
// failure: the server was not reached, or the connection broke.
const NETWORK_CODE =
  /^(ECONN(RESET|REFUSED|ABORTED|ECTION)|ETIMEDOUT|EPIPE|EAI_AGAIN|ENOTFOUND|E(NET|HOST)UNREACH|ESOCKET|EDNS|UND_ERR_)/;

/**
 * Whether an error code names a network failure. The code of an Error, not a message: shared by
 * {@link isNetworkError} and `isRetryable`.
 * @internal
 */
export function isNetworkCode(code: unknown): boolean {
  return typeof code === "string" && NETWORK_CODE.test(code);
}

/**
 * Whether a failure is a network error: its `code`, or that of an error in its `cause` chain (as `fetch`
 * wraps them in `TypeError: fetch failed`), is one of Node's, undici's or nodemailer's network codes
 * (`ECONNRESET`, `ECONNREFUSED`, `ETIMEDOUT`, `EPIPE`, `EAI_AGAIN`, `ENOTFOUND`, `UND_ERR_*`, `ESOCKET`, …).
 * Never throws, whatever the value.
 *
 * @example
 * ```ts
 * throw new UpstreamError("crm", "request failed", { retryable: isNetworkError(error), cause: error });
 * ```
 */
export function isNetworkError(error: unknown): boolean {
  try {
    return causeChain(error).some((link) => isNetworkCode((link as { code?: unknown }).code));
  } catch {
    // A Proxy or a getter that throws is not a network error.
    return false;
  }
}
