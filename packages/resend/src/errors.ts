import { UpstreamError } from "@auth-recipes/core/kit";

/**
 * Resend refused an email, or could not be reached. The message reads `[auth-recipes/resend] …`, with
 * Resend's own message redacted by the kit (email addresses and the API key removed, one line, cut to
 * length); `status` is the HTTP status (absent for a network failure), `code` Resend's error name
 * (`validation_error`, `rate_limit_exceeded`, …), `retryable` whether another attempt may succeed and
 * `retryAfterMs` how long Resend asked to wait. Safe to log as it is.
 */
export class ResendError extends UpstreamError {
  override name = "ResendError";
}
