// How a Resend failure is classified: the SDK returns `{ error: { statusCode, name, message } }`
// instead of throwing, `statusCode: null` for a request that never got an answer.

// Resend's names for failures another attempt can get past, whatever the status says.
const RETRYABLE_NAMES = new Set([
  "rate_limit_exceeded",
  "concurrent_idempotent_requests",
  "internal_server_error",
  "application_error",
]);
// Resend's error names are snake_case words; anything else is not Resend's.
const KNOWN_NAME = /^[a-z]+(?:_[a-z]+)+$/;
// The longest wait taken from a Retry-After: core's maxDelayMs bounds it again.
const MAX_RETRY_AFTER_MS = 3_600_000;

/** Whether another attempt may succeed: 408, 429, 5xx and no answer at all, else not. */
export function isRetryableFailure(status: number | undefined, name: string | undefined): boolean {
  if (status === undefined) {
    // No answer (a network failure, or a body in no shape Resend uses): the request may or may not
    // have been accepted, and a retry under the same idempotency key cannot send a second email.
    return name === undefined || RETRYABLE_NAMES.has(name) || !KNOWN_NAME.test(name);
  }
  if (status === 409) return name === "concurrent_idempotent_requests";
  return status === 408 || status === 429 || (status >= 500 && status < 600);
}

/**
 * A `Retry-After` (seconds or an HTTP date) as ms, from the response headers the SDK returns (or a
 * `ratelimit-reset` in seconds); `undefined` when absent or unreadable.
 */
export function retryAfterMs(
  headers: Record<string, string> | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (!headers || typeof headers !== "object") return undefined;
  const value = headerOf(headers, "retry-after") ?? headerOf(headers, "ratelimit-reset");
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(trimmed)) ms = Number(trimmed) * 1000;
  else {
    const date = Date.parse(trimmed);
    if (Number.isNaN(date)) return undefined;
    ms = date - now;
  }
  return Number.isFinite(ms)
    ? Math.min(Math.max(0, Math.round(ms)), MAX_RETRY_AFTER_MS)
    : undefined;
}

function headerOf(headers: Record<string, string>, name: string): string | undefined {
  try {
    for (const [key, value] of Object.entries(headers)) {
      if (key.toLowerCase() === name && typeof value === "string") return value;
    }
  } catch {
    // A hostile headers object (a getter that throws): no delay to read.
  }
  return undefined;
}
