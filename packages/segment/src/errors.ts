import { messageOf, UpstreamError } from "@auth-recipes/core/kit";

/**
 * Segment did not accept a call the recipe made: the SDK reported a failed delivery (an HTTP error after
 * its own retries, a network error, a timeout) or refused the call. Core wraps it in the `RecipeError`
 * that reaches `onError`. Its message reads `[auth-recipes/segment] …`, with no email address or write
 * key; the SDK's report is kept as the non-enumerable `unsafeCause`, which no logger prints.
 *
 * `retryable` tells core's retry policy whether another attempt can help: true for network errors,
 * timeouts, 408, 429 and 5xx; false for a refused batch (400, 401, 403, …), a message too large for
 * Segment, and a closed client. A retry is safe either way: it reuses the message ids, so Segment
 * counts a message that arrived twice once.
 */
export class SegmentDeliveryError extends UpstreamError {
  override name = "SegmentDeliveryError";
  /** The HTTP status Segment answered, when it answered. */
  declare readonly status: number | undefined;
  /** Whether another attempt may succeed. */
  declare readonly retryable: boolean;

  constructor(
    message: string,
    options: {
      status?: number;
      retryable: boolean;
      cause?: unknown;
      /** Credentials removed from the message wherever they appear (the client's write key). */
      secrets?: readonly string[];
    },
  ) {
    super("segment", message, options);
    // Always present, as before the kit: `status` is undefined when Segment did not answer.
    Object.assign(this, { status: options.status, retryable: options.retryable });
  }
}

// Statuses the SDK gives up on at once; another attempt sends the same batch to the same answer.
const RETRYABLE_4XX = new Set([408, 410, 429, 460]);

/**
 * The write key an `Analytics` client holds, for redaction: a hostile or broken endpoint can echo it (or
 * the `Basic` credential the SDK makes of it, which the kit's `redact` also removes) in its body or
 * reason phrase, and a write key has no shape a generic redaction would know. The SDK has no public
 * getter, so its publisher's field is read; a client shaped otherwise yields none, and key shapes and
 * whatever follows `Basic` are still redacted.
 */
export function clientSecrets(analytics: unknown): string[] {
  try {
    const publisher = (analytics as { _publisher?: Record<string, unknown> } | null)?._publisher;
    const writeKey = publisher?._writeKey;
    return typeof writeKey === "string" && writeKey ? [writeKey] : [];
  } catch {
    // A getter that throws: no known secret, the generic redaction still runs.
    return [];
  }
}

/**
 * Turns what the SDK reported for a failed delivery into a {@link SegmentDeliveryError}, with the
 * client's credentials (see {@link clientSecrets}) removed from its message.
 */
export function deliveryError(
  reason: unknown,
  secrets: readonly string[] = [],
): SegmentDeliveryError {
  const text = messageOf(reason ?? "unknown failure");
  // The SDK reports an HTTP failure as `[<status>] <status text>`.
  const status = Number(/^\[(\d{3})\]/.exec(text)?.[1]) || undefined;
  const tooLarge = /maximum event size|batch size/i.test(text);
  // Without a status it is a network error, a timeout or the SDK's own refusal of an oversized event.
  const retryable = status ? status >= 500 || RETRYABLE_4XX.has(status) : !tooLarge;
  return new SegmentDeliveryError(`Segment did not accept the call: ${text}`, {
    status,
    retryable,
    cause: reason,
    secrets,
  });
}
