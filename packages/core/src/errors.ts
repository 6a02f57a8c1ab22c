import type { EventName } from "./events.ts";
import { redact } from "./redact.ts";

/**
 * A recipe's handler failed on its last attempt. `onError` receives one per failed handler and dispatch.
 * The message names the recipe and the event and quotes the cause's message with email addresses and
 * known secret shapes redacted; the cause itself is kept as it was thrown, for debugging.
 */
export class RecipeError extends Error {
  override name = "RecipeError";
  /** The recipe whose handler failed. */
  declare readonly recipe: string;
  /** The event it was handling. */
  declare readonly event: EventName;
  /** How many attempts were made. */
  declare readonly attempts: number;
  /** Whether the last attempt timed out. */
  declare readonly timedOut: boolean;
  /** What the last attempt threw or rejected with, as it was (a non-Error value too). */
  declare readonly cause: unknown;

  constructor(options: {
    recipe: string;
    event: EventName;
    attempts: number;
    timedOut: boolean;
    cause: unknown;
  }) {
    const { recipe, event, attempts, timedOut, cause } = options;
    super(
      `recipe "${recipe}" failed on ${event} after ${attempts} attempt${attempts === 1 ? "" : "s"}: ${redact(describe(cause))}`,
      { cause },
    );
    Object.assign(this, { recipe, event, attempts, timedOut });
  }
}

/** The error an attempt fails with when it runs past its timeout; `isRetryable` retries it. */
export function timeoutError(ms: number): Error {
  const error = new Error(`timed out after ${ms} ms`);
  error.name = "TimeoutError";
  return error;
}

function describe(cause: unknown): string {
  // A thrown value can be anything, including an object whose toString throws.
  try {
    return cause instanceof Error ? cause.message : String(cause);
  } catch {
    return "(unprintable)";
  }
}
