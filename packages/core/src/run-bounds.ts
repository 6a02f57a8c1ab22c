// What bounds a handler's run outside composeEvents, and what a run hands back to a queue that retries.

/**
 * A handler's run that a queue retries itself (`retryLater`): the last attempt failed and the retry
 * policy retries it, after `retryInMs`. `onError` was not called: the handler is not done.
 */
export interface RetryLater {
  /** The recipe's name. */
  recipe: string;
  status: "retry";
  /** Attempts made, counting from 1 (a queue's earlier attempts included). */
  attempts: number;
  /** From this run's first attempt's start to its end, in ms. */
  durationMs: number;
  /** The delay before the next attempt, in ms: the policy's backoff, at least the failure's `retryAfterMs`. */
  retryInMs: number;
  /** Why the attempt failed, redacted and on one line: for the queue's record of the attempt. */
  reason: string;
  /** Whether the attempt timed out. */
  timedOut: boolean;
}

/** What bounds a run, for hosts other than `composeEvents`. */
export interface RunBounds {
  /** The number of the first attempt: a queued job that failed twice runs attempt 3. */
  attempt?: number;
  /** A time (ms since the epoch) past which no attempt runs: each one's timeout ends there at the latest. */
  deadline?: number;
  /** Aborting it ends the running attempt (its handler's `signal` aborts too) and the run. */
  signal?: AbortSignal;
  /** The trace context the run is published with (a queued job's). */
  traceCarrier?: Readonly<Record<string, string>>;
  /** Hand a retry back as a {@link RetryLater} instead of waiting for it in memory. */
  retryLater?: boolean;
}
