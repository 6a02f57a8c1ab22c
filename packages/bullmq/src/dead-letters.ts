import type { EventName } from "@auth-recipes/core";
import type { Job, JobType, Queue } from "bullmq";
import { type RecipeJobData, userIdOf } from "./job.ts";

/** A recipe job that failed for good: a dead letter, kept until retried or removed. */
export interface DeadLetter {
  /** The job's id (`<dispatchId>.<recipe>`, encoded). */
  id: string;
  recipe: string;
  event: EventName;
  dispatchId: string;
  /** The user the event was about, when its message names one. */
  userId: string | undefined;
  /** Attempts made. */
  attempts: number;
  /** The last attempt's error message, already redacted of emails and keys. */
  failedReason: string;
  /** When it failed for good. */
  failedAt: Date | undefined;
}

/** Which dead letters to act on. */
export interface DeadLetterFilter {
  /** Only this recipe's jobs. */
  recipe?: string;
  /**
   * At most this many, newest first.
   * @default 1000
   */
  limit?: number;
}

/** One job of one user, in any state: what {@link findUserJobs} returns. */
export interface UserJob {
  id: string;
  recipe: string;
  event: EventName;
  dispatchId: string;
  /** `waiting`, `delayed`, `active`, `completed`, `failed`, … */
  state: string;
  attempts: number;
  /** When the job was added. */
  createdAt: Date;
  /** The last failure's (redacted) message, if any. */
  failedReason: string | undefined;
}

const PAGE = 200;

/** Pages through a state's jobs, newest first, calling `visit` until it returns false. */
async function scan(
  queue: Queue,
  types: JobType[],
  visit: (job: Job<RecipeJobData>) => boolean | undefined,
): Promise<void> {
  for (let start = 0; ; start += PAGE) {
    const jobs = (await queue.getJobs(types, start, start + PAGE - 1)) as Job<RecipeJobData>[];
    for (const job of jobs) if (job && visit(job) === false) return;
    if (jobs.length < PAGE) return;
  }
}

function deadLetter(job: Job<RecipeJobData>): DeadLetter {
  return {
    id: String(job.id),
    recipe: job.data.recipe,
    event: job.data.event,
    dispatchId: job.data.dispatchId,
    userId: userIdOf(job.data),
    attempts: job.attemptsMade,
    failedReason: job.failedReason,
    failedAt: job.finishedOn ? new Date(job.finishedOn) : undefined,
  };
}

/**
 * The failed recipe jobs (the dead-letter set), newest first, optionally of one recipe.
 *
 * @example
 * ```ts
 * for (const job of await listFailedJobs(queue, { recipe: "stripe-customer" })) console.log(job.id, job.failedReason);
 * ```
 */
export async function listFailedJobs(
  queue: Queue,
  filter: DeadLetterFilter = {},
): Promise<DeadLetter[]> {
  const { recipe, limit = 1000 } = filter;
  const found: DeadLetter[] = [];
  await scan(queue, ["failed"], (job) => {
    if (recipe === undefined || job.data?.recipe === recipe) found.push(deadLetter(job));
    return found.length < limit;
  });
  return found;
}

/**
 * Moves failed recipe jobs (optionally of one recipe) back to the waiting list, with their attempts reset,
 * and returns their ids. A worker runs them again with the same `dispatchId`, so idempotent services
 * (Stripe, Segment) see no duplicate.
 */
export async function retryFailedJobs(
  queue: Queue,
  filter: DeadLetterFilter = {},
): Promise<string[]> {
  const failed = await listFailedJobs(queue, filter);
  const retried: string[] = [];
  for (const letter of failed) {
    const job = await queue.getJob(letter.id);
    if (!job) continue;
    await job.retry("failed", { resetAttemptsMade: true, resetAttemptsStarted: true });
    retried.push(letter.id);
  }
  return retried;
}

const ALL_STATES: JobType[] = [
  "active",
  "waiting",
  "delayed",
  "prioritized",
  "waiting-children",
  "completed",
  "failed",
];

/**
 * Every recipe job about one user (its message's `user.id`, a JWT's `sub`, or a session's `userId`), in
 * every state, newest first: to answer "did this user's welcome email go out?", or to erase a user's data.
 * It reads every kept job, so it is for support and tools, not for a request path.
 */
export async function findUserJobs(queue: Queue, userId: string): Promise<UserJob[]> {
  const found: UserJob[] = [];
  for (const state of ALL_STATES) {
    await scan(queue, [state], (job) => {
      if (job.data && userIdOf(job.data) === userId) {
        found.push({
          id: String(job.id),
          recipe: job.data.recipe,
          event: job.data.event,
          dispatchId: job.data.dispatchId,
          state,
          attempts: job.attemptsMade,
          createdAt: new Date(job.timestamp),
          failedReason: job.failedReason || undefined,
        });
      }
      return true;
    });
  }
  return found.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
}
