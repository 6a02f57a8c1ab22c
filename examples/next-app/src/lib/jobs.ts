import { type RecipeJobData, userIdOf } from "@auth-recipes/bullmq";
import type { Job, JobType, Queue } from "bullmq";

/** One recipe job, as the deliveries page shows it in queue mode. */
export interface QueuedJob {
  id: string;
  recipe: string;
  event: string;
  /** Whom the job is for: the user's email address, else their id, else `?`. */
  user: string;
  /** BullMQ's state: `waiting`, `active`, `delayed` (a retry's backoff, or the tips email's 30 s), `completed`, `failed`. */
  state: JobState;
  /** Attempts started so far (a killed worker's attempt counts). */
  attempts: number;
  /** The last failure's message, already redacted of emails and keys by the worker. */
  failedReason: string | undefined;
  createdAt: number;
  finishedAt: number | undefined;
}

export type JobState = "waiting" | "active" | "delayed" | "completed" | "failed";

/** What `GET /api/jobs` answers. */
export interface JobsSnapshot {
  /** False when the app runs the recipes in the request (AUTH_RECIPES_REDIS_URL unset). */
  queueMode: boolean;
  /** False when Redis did not answer. */
  reachable: boolean;
  counts: Record<JobState, number>;
  /**
   * The workers connected to the queue now (BullMQ names their Redis connections): 0 means waiting jobs
   * wait for a worker to start, not for their turn.
   */
  workers: number;
  /** The newest jobs first, at most {@link LIMIT} of each state. */
  jobs: QueuedJob[];
}

const STATES: readonly JobState[] = ["active", "waiting", "delayed", "failed", "completed"];
const LIMIT = 50;

/** Whom a job is for, from its message: a user's email, a JWT's, or the user id. */
export function jobUser(data: RecipeJobData | undefined): string {
  if (!data) return "?";
  const message = data.message as Record<string, Record<string, unknown> | undefined> | null;
  const email = message?.user?.email ?? message?.token?.email;
  return typeof email === "string" && email ? email : (userIdOf(data) ?? "?");
}

function summary(job: Job<RecipeJobData>, state: JobState): QueuedJob {
  return {
    id: String(job.id),
    recipe: job.data?.recipe ?? "?",
    event: job.data?.event ?? "?",
    user: jobUser(job.data),
    state,
    attempts: Math.max(job.attemptsStarted ?? 0, job.attemptsMade),
    failedReason: job.failedReason || undefined,
    createdAt: job.timestamp,
    finishedAt: job.finishedOn,
  };
}

/** The queue's recent jobs and counts, state by state (a job is read in the state it was listed in). */
export async function readJobs(queue: Queue): Promise<JobsSnapshot> {
  const counts = (await queue.getJobCounts(...STATES)) as Record<JobState, number>;
  const jobs: QueuedJob[] = [];
  for (const state of STATES) {
    const found = (await queue.getJobs([state as JobType], 0, LIMIT - 1)) as Job<RecipeJobData>[];
    for (const job of found) if (job) jobs.push(summary(job, state));
  }
  jobs.sort((a, b) => b.createdAt - a.createdAt || a.recipe.localeCompare(b.recipe));
  const workers = await queue.getWorkersCount();
  return { queueMode: true, reachable: true, counts, workers, jobs };
}

/** The answer when there is no queue to read, or it did not answer. */
export function noJobs(queueMode: boolean): JobsSnapshot {
  const counts = { waiting: 0, active: 0, delayed: 0, completed: 0, failed: 0 };
  return { queueMode, reachable: !queueMode, counts, workers: 0, jobs: [] };
}
