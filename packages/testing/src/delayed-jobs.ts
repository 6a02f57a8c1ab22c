// Time-skipping for queues: run a BullMQ queue's delayed jobs now, so that a "day 3, day 7" sequence is
// tested in milliseconds. Typed structurally: this package depends on no queue library.

import { prefixed } from "@auth-recipes/core/kit";

/** A delayed job as BullMQ's `Job` has it: when it was added, its delay, and `promote()`. */
export interface DelayedJobLike {
  /** When the job was added, in ms since the epoch. */
  timestamp: number;
  /** Its delay in ms: it is due at `timestamp + delay`. */
  delay: number;
  /** Moves it from the delayed set to the waiting list. */
  promote(): Promise<void>;
}

/** The part of a BullMQ `Queue` {@link runDelayedJobs} uses. */
export interface DelayedJobsQueue {
  getDelayed(start?: number, end?: number): Promise<(DelayedJobLike | undefined)[]>;
  getJobCounts(...types: never[]): Promise<Record<string, number>>;
}

/** A length of time: ms, or parts added up. */
export type SkipDuration =
  | number
  | { days?: number; hours?: number; minutes?: number; seconds?: number };

/** Options for {@link runDelayedJobs}. */
export interface RunDelayedJobsOptions {
  /**
   * Run only the jobs due within this long from now (`{ days: 3 }` runs day 3's email, not day 7's): as
   * if the clock had moved on by that much.
   * @default every delayed job
   */
  within?: SkipDuration;
  /**
   * Wait until the queue has nothing waiting or active (a worker ran the jobs) before resolving, up to
   * `timeoutMs`; a job that fails and is retried goes back to the delayed set and does not hold this up.
   * @default true
   */
  settle?: boolean;
  /**
   * How long to wait for the queue to settle before rejecting.
   * @default 10000
   */
  timeoutMs?: number;
}

const UNITS = { days: 86_400_000, hours: 3_600_000, minutes: 60_000, seconds: 1_000 } as const;

function toMs(duration: SkipDuration): number {
  if (typeof duration === "number") return duration;
  let ms = 0;
  for (const [unit, amount] of Object.entries(duration)) {
    if (!Object.hasOwn(UNITS, unit) || typeof amount !== "number") {
      throw new TypeError(
        prefixed("testing", `runDelayedJobs: "within" has an unknown unit "${unit}"`),
      );
    }
    ms += amount * UNITS[unit as keyof typeof UNITS];
  }
  return ms;
}

/**
 * Runs a queue's delayed jobs now: promotes every delayed job (or those due `within` a given time) to the
 * waiting list, and by default waits until the queue's workers have run them. Resolves to the number of
 * jobs promoted. Jobs keep their ids, data and attempts, so what a worker does with them is what it would
 * have done days later.
 *
 * @example
 * ```ts
 * await signUp(user);                                       // the welcome email now, tips on day 3, a check-in on day 7
 * await runDelayedJobs(queue, { within: { days: 3 } });     // day 3
 * expect(emulators.smtp.messages).toHaveLength(2);
 * await runDelayedJobs(queue);                              // day 7
 * expect(emulators.smtp.messages).toHaveLength(3);
 * ```
 */
export async function runDelayedJobs(
  queue: DelayedJobsQueue,
  options: RunDelayedJobsOptions = {},
): Promise<number> {
  const { within, settle = true, timeoutMs = 10_000 } = options;
  const horizon = within === undefined ? Number.POSITIVE_INFINITY : Date.now() + toMs(within);
  const due = (await queue.getDelayed()).filter(
    (job): job is DelayedJobLike => !!job && job.timestamp + job.delay <= horizon,
  );
  // A job a worker or another call promoted meanwhile is no longer delayed: promote() rejects, and that
  // job runs anyway.
  const promoted = await Promise.all(
    due.map((job) =>
      job.promote().then(
        () => true,
        () => false,
      ),
    ),
  );
  if (settle) await settled(queue, timeoutMs);
  return promoted.filter(Boolean).length;
}

async function settled(queue: DelayedJobsQueue, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const counts = await queue.getJobCounts(...(["waiting", "active", "prioritized"] as never[]));
    if (!Object.values(counts).some((count) => count > 0)) return;
    if (Date.now() >= until) {
      throw new Error(
        prefixed(
          "testing",
          `runDelayedJobs: the queue still had jobs waiting or active after ${timeoutMs} ms; is a worker running?`,
        ),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
