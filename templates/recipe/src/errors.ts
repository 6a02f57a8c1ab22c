import { UpstreamError } from "@auth-recipes/core/kit";

/**
 * Why Acme CRM refused a contact or could not be reached: the error that `acmeCrm`'s handler throws, which
 * `onError` receives as the `cause` of a `RecipeError`. Its message reads `[auth-recipes/acme-crm] …`,
 * redacted by the kit (never the API key or an email address); `retryable`, `retryAfterMs` and `status`
 * tell core's retry what to do.
 */
export class AcmeCrmError extends UpstreamError {
  override name = "AcmeCrmError";
}
