import type { EventName } from "@auth-recipes/core";
import { configError, configRangeError, usableUserId } from "@auth-recipes/core/kit";
import type { Job, JobType, Queue } from "bullmq";
import { isRecipeJobData, type RecipeJobData, userIdOf } from "./job.ts";

const PKG = "bullmq";

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
   * At most this many, newest first: a whole number ≥ 0 (`0` acts on none).
   * @default 1000
   */
  limit?: number;
}

/** What a scan of the dead-letter set found: the recipe jobs, and how many failed jobs were not ours. */
export interface DeadLetterScan<T> {
  found: T[];
  /** Failed jobs skipped because their data is not a recipe job's (another producer's, or corrupted). */
  foreign: number;
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
  visit: (job: Job<unknown>) => boolean | undefined,
): Promise<void> {
  for (let start = 0; ; start += PAGE) {
    const jobs = (await queue.getJobs(types, start, start + PAGE - 1)) as Job<unknown>[];
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
    failedReason: String(job.failedReason ?? ""),
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
  return (await scanFailedJobs(queue, filter)).found;
}

/**
 * {@link listFailedJobs}, with the count of failed jobs skipped as not ours: what the CLI prints.
 * @internal
 */
export async function scanFailedJobs(
  queue: Queue,
  filter: DeadLetterFilter = {},
): Promise<DeadLetterScan<DeadLetter>> {
  const { recipe, limit = 1000 } = filter;
  if (!(Number.isInteger(limit) && limit >= 0) && limit !== Number.POSITIVE_INFINITY) {
    throw configRangeError(PKG, 'option "limit" must be a whole number ≥ 0 or Infinity');
  }
  const scanned: DeadLetterScan<DeadLetter> = { found: [], foreign: 0 };
  if (limit === 0) return scanned;
  await scan(queue, ["failed"], (job) => {
    if (!isRecipeJobData(job.data)) {
      scanned.foreign++;
      return true;
    }
    if (recipe === undefined || job.data.recipe === recipe) {
      scanned.found.push(deadLetter(job as Job<RecipeJobData>));
    }
    return scanned.found.length < limit;
  });
  return scanned;
}

/**
 * Moves failed recipe jobs (optionally of one recipe) back to the waiting list, with their attempts reset,
 * and returns their ids. A worker runs them again with the same `dispatchId`, so idempotent services
 * (Stripe, Segment) see no duplicate. Failed jobs that are not recipe jobs are left as they are.
 */
export async function retryFailedJobs(
  queue: Queue,
  filter: DeadLetterFilter = {},
): Promise<string[]> {
  return (await retryDeadLetters(queue, filter)).found;
}

/**
 * {@link retryFailedJobs}, with the count of failed jobs skipped as not ours: what the CLI prints.
 * @internal
 */
export async function retryDeadLetters(
  queue: Queue,
  filter: DeadLetterFilter = {},
): Promise<DeadLetterScan<string>> {
  const { found, foreign } = await scanFailedJobs(queue, filter);
  const retried: string[] = [];
  for (const letter of found) {
    const job = await queue.getJob(letter.id);
    if (!job) continue;
    await job.retry("failed", { resetAttemptsMade: true, resetAttemptsStarted: true });
    retried.push(letter.id);
  }
  return { found: retried, foreign };
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
 * every state, newest first (a numeric id matches its string form, as the kit's `usableUserId` reads
 * ids): to answer "did this user's welcome email go out?", or to erase a user's data.
 * It reads every kept job, so it is for support and tools, not for a request path.
 */
export async function findUserJobs(queue: Queue, userId: string | number): Promise<UserJob[]> {
  const wanted = usableUserId(userId);
  if (wanted === undefined) {
    throw configError(PKG, "findUserJobs takes a user id: a non-empty string or a safe integer");
  }
  const found: UserJob[] = [];
  for (const state of ALL_STATES) {
    await scan(queue, [state], (job) => {
      if (isRecipeJobData(job.data) && userIdOf(job.data) === wanted) {
        found.push({
          id: String(job.id),
          recipe: job.data.recipe,
          event: job.data.event,
          dispatchId: job.data.dispatchId,
          state,
          attempts: job.attemptsMade,
          createdAt: new Date(job.timestamp),
          failedReason: job.failedReason ? String(job.failedReason) : undefined,
        });
      }
      return true;
    });
  }
  return found.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
}
