import { messageOf, UpstreamError } from "@auth-recipes/core/kit";

/**
 * Why a `stripeCustomer` handler failed: the error it throws, which `onError` receives as the `cause` of
 * a `RecipeError`. Its message reads `[auth-recipes/stripe] …`, names the Stripe call and Stripe's error
 * type, status and code, and quotes Stripe's message redacted by the kit (email addresses, keys); the
 * SDK's error, which can echo the email (`Invalid email address: …`), is kept as the non-enumerable
 * `unsafeCause`, which no logger prints.
 */
export class StripeCustomerError extends UpstreamError {
  override name = "StripeCustomerError";
  /**
   * Whether another attempt may succeed, read by core's `isRetryable`: true for connection errors,
   * timeouts, 409, 429 and 5xx; false for invalid requests, authentication, permission and idempotency
   * errors, which fail the same way every time.
   */
  declare readonly retryable: boolean;
  /** The SDK's error class name, such as `StripeInvalidRequestError`. */
  declare readonly stripeType?: string;
  /** The HTTP status Stripe answered, if it answered (also as `status`). */
  declare readonly statusCode?: number;
  /** Stripe's error code, such as `resource_missing`. */
  declare readonly code?: string;
  /** Stripe's request id (`req_…`), to find the request in the Dashboard's logs. */
  declare readonly requestId?: string;
  /**
   * How long Stripe asked to wait before another attempt (its `Retry-After` header, on a 429), in ms:
   * core's retry waits at least that long, or reports instead when that is longer than `maxDelayMs`.
   */
  declare readonly retryAfterMs?: number;

  constructor(
    message: string,
    fields: {
      retryable: boolean;
      stripeType?: string;
      statusCode?: number;
      code?: string;
      requestId?: string;
      retryAfterMs?: number;
      cause?: unknown;
      /** Credentials removed from the message wherever they appear (the client's secret key). */
      secrets?: readonly string[];
    },
  ) {
    const { cause, retryable, retryAfterMs, statusCode, code, secrets, ...rest } = fields;
    super("stripe", message, { cause, retryable, retryAfterMs, status: statusCode, code, secrets });
    for (const [key, value] of Object.entries({ ...rest, statusCode })) {
      if (value !== undefined) Object.assign(this, { [key]: value });
    }
  }
}

/** Whether an error is Stripe's answer that an idempotency key was reused with other parameters. */
export function isIdempotencyError(error: unknown): boolean {
  const e = error as { type?: unknown; rawType?: unknown; stripeType?: unknown } | null;
  return (
    typeof e === "object" &&
    e !== null &&
    (e.type === "StripeIdempotencyError" ||
      e.stripeType === "StripeIdempotencyError" ||
      e.rawType === "idempotency_error")
  );
}

/**
 * Whether an error is Stripe's 409 for an idempotency key whose first request is still being processed
 * (two createUser for one user at once): the answer comes once that request is done.
 */
export function isKeyInUse(error: unknown): boolean {
  const e = error as { statusCode?: unknown; code?: unknown } | null;
  return typeof e === "object" && e !== null && e.code === "idempotency_key_in_use";
}

/** A `Retry-After` header's delay in ms: delta-seconds or an HTTP date; undefined when absent or bad. */
export function retryAfterMs(value: unknown, now: number = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (typeof text !== "string" || !text.trim()) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/** Whether an error is Stripe's 404 for an id that does not exist. */
export function isMissing(error: unknown): boolean {
  const e = error as { statusCode?: unknown; code?: unknown } | null;
  return (
    typeof e === "object" && e !== null && (e.code === "resource_missing" || e.statusCode === 404)
  );
}

/**
 * The secret key a Stripe client holds, for redaction: Stripe's own keys have shapes (`sk_`, `rk_`) that
 * any redaction knows, but a key for a proxy or a gateway in front of Stripe need not, and only the
 * recipe knows it is its credential. The SDK has no public getter: its API-key authenticator's field is
 * read, and a client made with a custom authenticator yields none.
 */
export function clientSecrets(stripe: unknown): string[] {
  try {
    const key = (stripe as { _authenticator?: { _apiKey?: unknown } } | null)?._authenticator
      ?._apiKey;
    return typeof key === "string" && key ? [key] : [];
  } catch {
    return [];
  }
}

/**
 * Turns what a Stripe call threw into a {@link StripeCustomerError}, marked retryable or not, with the
 * given `secrets` (the client's key) removed from its message. Read by the SDK's `type` field, not
 * `instanceof`, so that errors from a second copy of `stripe` are classified too. Anything that is not a
 * Stripe error (a bug in a callback) is returned as it was.
 */
export function toStripeCustomerError(
  error: unknown,
  action: string,
  secrets: readonly string[] = [],
): unknown {
  const e = (typeof error === "object" && error !== null ? error : {}) as Record<string, unknown>;
  const type = typeof e.type === "string" && e.type.startsWith("Stripe") ? e.type : undefined;
  if (!type) return error;
  const statusCode = typeof e.statusCode === "number" ? e.statusCode : undefined;
  const code = typeof e.code === "string" ? e.code : undefined;
  const headers = (e.headers ?? {}) as Record<string, unknown>;
  const shouldRetry = headers["stripe-should-retry"];
  let retryable: boolean;
  if (shouldRetry === "true" || shouldRetry === "false") {
    // Stripe's own verdict wins, as it does in the SDK.
    retryable = shouldRetry === "true";
  } else if (type === "StripeConnectionError") {
    retryable = true;
  } else if (statusCode === undefined) {
    // No answer to go by, such as a body that was not JSON: a later attempt may fare better.
    retryable = type === "StripeAPIError";
  } else {
    retryable = statusCode === 409 || statusCode === 429 || statusCode >= 500;
  }
  const after = statusCode === 429 ? retryAfterMs(headers["retry-after"]) : undefined;
  const status = [statusCode, code].filter((part) => part !== undefined).join(" ");
  // The kit's UpstreamError redacts the message: Stripe's own quotes the email it refused.
  const message = `${action} failed: ${type}${status ? ` (${status})` : ""}: ${messageOf(error)}`;
  return new StripeCustomerError(message, {
    retryable,
    stripeType: type,
    ...(statusCode !== undefined ? { statusCode } : {}),
    ...(code !== undefined ? { code } : {}),
    ...(typeof e.requestId === "string" ? { requestId: e.requestId } : {}),
    ...(after !== undefined ? { retryAfterMs: after } : {}),
    cause: error,
    secrets,
  });
}
