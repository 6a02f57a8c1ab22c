// What a handler's attempt and a handler's run came to: the types the runner produces and the tracing
// channels report, kept apart from both so that neither depends on the other.
import type { RecipeError } from "./errors.ts";

/** How a handler or one attempt of it ended: `"skipped"` when it returned or threw `skip(reason)`. */
export type Outcome = "fulfilled" | "rejected" | "skipped";

/** How one attempt of one handler ended: what the kit's `runAttempt` resolves with. */
export interface AttemptOutcome {
  /** `"skipped"` when the handler returned or threw `skip(reason)`; `"rejected"` when it threw, rejected or timed out. */
  status: Outcome;
  /** What the attempt threw or rejected with (the timeout error when it timed out), when rejected. */
  error?: unknown;
  /** The reason given to `skip()`, when skipped. */
  reason?: string;
  /** Whether the attempt ran past its route's `timeoutMs`. */
  timedOut: boolean;
  /** From the attempt's start to its end, in ms. */
  durationMs: number;
}

/** How one handler ended in one dispatch. */
export interface HandlerResult {
  /** The recipe's name. */
  recipe: string;
  /** `"skipped"` when the handler returned or threw `skip(reason)`. */
  status: Outcome;
  /** Attempts made, counting from 1. */
  attempts: number;
  /** From the first attempt's start to the handler's end, in ms. */
  durationMs: number;
  /** The error passed to `onError`, when rejected. */
  error?: RecipeError;
  /** The reason given to `skip()`, when skipped. */
  reason?: string;
}
