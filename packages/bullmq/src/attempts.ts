import type { RetryPolicy } from "@auth-recipes/core/kit";

/** Whether the policy retries after this failure; a `retryIf` that throws says no. */
export function shouldRetry(policy: RetryPolicy, error: unknown, attempt: number): boolean {
  try {
    return attempt <= policy.retries && policy.retryIf(error, attempt) === true;
  } catch {
    return false;
  }
}

/** A thrown value's message, whatever was thrown (an object whose toString throws too). */
export function describe(cause: unknown): string {
  try {
    return cause instanceof Error ? cause.message : String(cause);
  } catch {
    return "(unprintable)";
  }
}
