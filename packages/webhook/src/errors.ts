import { prefixed, UpstreamError, type UpstreamErrorOptions } from "@auth-recipes/core/kit";

/**
 * The receiver did not take a delivery: it answered with a status that is not 2xx (a redirect
 * included), or the request failed on the network. Core wraps it in the `RecipeError` that reaches
 * `onError`. Its message reads `[auth-recipes/webhook] …` and names the receiver by its origin only:
 * never the URL's credentials, path or query string, the secret or the signature.
 *
 * `retryable` tells core's retry policy whether another attempt may help: true for network errors,
 * 408, 429 and 5xx; false for a redirect (never followed) and any other status. `retryAfterMs` is the
 * receiver's `Retry-After`, when it sent one.
 */
export class WebhookDeliveryError extends UpstreamError {
  override name = "WebhookDeliveryError";

  constructor(message: string, options: UpstreamErrorOptions) {
    super("webhook", message, options);
  }
}

/** Why {@link verifyWebhook} refused a request. */
export type InvalidWebhookReason =
  | "missing-headers"
  | "bad-signature"
  | "too-old"
  | "too-new"
  | "too-large"
  | "bad-payload";

/**
 * {@link verifyWebhook} refused a request: answer it with 400 (or 401) and do nothing else. `reason`
 * says why; the message never holds the secret, a signature or the body.
 */
export class InvalidWebhookError extends Error {
  override name = "InvalidWebhookError";
  /** Why the request was refused. */
  readonly reason: InvalidWebhookReason;

  constructor(reason: InvalidWebhookReason, message: string) {
    super(prefixed("webhook", message));
    this.reason = reason;
  }
}
