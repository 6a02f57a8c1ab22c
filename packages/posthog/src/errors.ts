import { UpstreamError } from "@auth-recipes/core/kit";

/**
 * PostHog did not accept an event the recipe sent: posthog-node reported an HTTP error (after its own
 * retries), a network error or a timeout. Core wraps it in the `RecipeError` that reaches `onError`. Its
 * message reads `[auth-recipes/posthog] …` and is built from the status alone: no project key, email
 * address or response body. The SDK's error is kept as the non-enumerable `unsafeCause`.
 *
 * `retryable` tells core's retry policy whether another attempt can help: true for network errors,
 * timeouts, 408, 429 and 5xx; false for a refused batch (400, 401 for a wrong project key, …). A retry
 * sends the same event `uuid`s.
 */
export class PostHogDeliveryError extends UpstreamError {
  override name = "PostHogDeliveryError";
  /** The HTTP status PostHog answered, when it answered. */
  declare readonly status: number | undefined;
  /** Whether another attempt may succeed. */
  declare readonly retryable: boolean;

  constructor(
    message: string,
    options: { status?: number; retryable: boolean; retryAfterMs?: number; cause?: unknown },
  ) {
    super("posthog", message, options);
    Object.assign(this, { status: options.status, retryable: options.retryable });
  }
}

/** Reads one field of what the SDK reported; a getter that throws reads as absent. */
function field(value: unknown, key: string): unknown {
  try {
    return (value as Record<string, unknown> | null | undefined)?.[key];
  } catch {
    return undefined;
  }
}

/** Turns what posthog-node emitted for a failed request into a {@link PostHogDeliveryError}. */
export function deliveryError(reason: unknown, what: string): PostHogDeliveryError {
  const status = field(reason, "status");
  const name = field(reason, "name");
  if (typeof status === "number" && Number.isInteger(status)) {
    const after = field(reason, "retryAfterMs");
    return new PostHogDeliveryError(`PostHog answered ${status} to the ${what}`, {
      status,
      retryable: status >= 500 || status === 408 || status === 429,
      ...(typeof after === "number" ? { retryAfterMs: after } : {}),
      cause: reason,
    });
  }
  if (name === "PostHogFetchNetworkError") {
    return new PostHogDeliveryError(
      `the ${what} did not reach PostHog (network error or timeout)`,
      {
        retryable: true,
        cause: reason,
      },
    );
  }
  return new PostHogDeliveryError(`posthog-node failed to send the ${what}`, {
    retryable: false,
    cause: reason,
  });
}
