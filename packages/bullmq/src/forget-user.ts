import { prefixed } from "@auth-recipes/core/kit";
import type { Job, Queue } from "bullmq";
import { INDEX_SLACK_MS, redisClientOf, userIndexKey, userKeyOf } from "./user-index.ts";

/** What {@link forgetUser} did. */
export interface ForgetUserResult {
  /** Jobs about the user removed: waiting, delayed (cancelled), prioritized, completed, failed. */
  removed: number;
  /**
   * Jobs about the user that a worker is running right now, which no one can remove: each finishes (or
   * fails) and is then kept like any job. Call `forgetUser` again once they are done (`waitMs` does).
   */
  active: number;
}

/** Options for {@link forgetUser}. */
export interface ForgetUserOptions {
  /**
   * Wait up to this many ms for the user's active jobs to finish, removing them once they do, before
   * returning; `active` counts those still running then.
   * @default 0 (return at once)
   */
  waitMs?: number;
  /**
   * Also read every kept job to find the user's, for jobs enqueued before this version of the package
   * (which did not index them) or a backend without the index (BullMQ's PostgreSQL backend, which always
   * reads them). Slow on a large queue: for a one-off migration, not for a request.
   * @default false
   */
  scanAll?: boolean;
}

const PAGE = 500;

/**
 * Removes every kept job about one user (its message's `user.id`, a JWT's `sub`, or a session's
 * `userId`) in every state but active: waiting, delayed (cancelling their pending delayed recipes),
 * prioritized, completed and failed. Afterwards Redis holds no job with the user's email, once active
 * jobs are done (see `active`). Call it from your account-deletion route after the user's row is
 * deleted, so that no new event about them enqueues jobs behind it.
 *
 * It reads the user's index (a set of job ids written with each enqueue), not every job: its time grows
 * with the user's jobs, not the queue's; the only other read is of dead letters that failed more than 30
 * days ago, whose index may have expired.
 *
 * @param userId - the id your adapter gives the user; a number matches the same number as text.
 * @example
 * ```ts
 * // app/api/account/route.ts
 * export async function DELETE() {
 *   const session = await auth();
 *   await db.delete(users).where(eq(users.id, session.user.id));
 *   const { removed, active } = await forgetUser(queue, session.user.id, { waitMs: 10_000 });
 *   return Response.json({ removed, active });
 * }
 * ```
 */
export async function forgetUser(
  queue: Queue,
  userId: string | number,
  options: ForgetUserOptions = {},
): Promise<ForgetUserResult> {
  if (!queue || typeof (queue as Partial<Queue>).remove !== "function") {
    throw new TypeError(prefixed("bullmq", "forgetUser takes a BullMQ Queue and a user id"));
  }
  if (
    !(typeof userId === "string" && userId) &&
    !(typeof userId === "number" && Number.isFinite(userId))
  ) {
    throw new TypeError(
      prefixed("bullmq", "forgetUser's userId must be a non-empty string or a number"),
    );
  }
  const { waitMs = 0, scanAll = false } = options ?? {};
  if (typeof waitMs !== "number" || !(waitMs >= 0)) {
    throw new RangeError(prefixed("bullmq", 'forgetUser\'s option "waitMs" must be 0 or more ms'));
  }
  const user = String(userId);
  const until = Date.now() + waitMs;
  let removed = 0;
  for (let round = 0; ; round++) {
    const ids = await candidates(queue, user, scanAll && round === 0);
    const pass = await removeAll(queue, ids);
    removed += pass.removed;
    // The set holds only the user's job ids: keep those still active (for the next call), else drop it.
    const client = await redisClientOf(queue);
    const key = userIndexKey(queue, user);
    if (client && !pass.active.length) await client.del(key);
    else if (client) {
      const gone = [...ids].filter((id) => !pass.active.includes(id));
      if (gone.length) await client.srem(key, ...gone);
    }
    if (!pass.active.length || Date.now() >= until) {
      return { removed, active: pass.active.length };
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(200, until - Date.now())));
  }
}

/** The ids of the jobs that may be the user's: the index, old dead letters, and with `scanAll` every job. */
async function candidates(queue: Queue, user: string, scanAll: boolean): Promise<Set<string>> {
  const ids = new Set<string>();
  const client = await redisClientOf(queue);
  if (client) {
    for (const id of await client.smembers(userIndexKey(queue, user))) ids.add(id);
    // Dead letters that failed before the slack may have outlived their user's set: read only those.
    const old = await client.zrangebyscore(
      queue.toKey("failed"),
      "-inf",
      Date.now() - INDEX_SLACK_MS,
    );
    for (const id of await theUsers(queue, old, user)) ids.add(id);
  }
  if (scanAll || !client) {
    for (const state of ["waiting", "delayed", "prioritized", "completed", "failed"] as const) {
      for (let start = 0; ; start += PAGE) {
        const jobs = (await queue.getJobs([state], start, start + PAGE - 1)) as Job[];
        for (const job of jobs)
          if (job && userKeyOf(job.data?.message) === user) ids.add(String(job.id));
        if (jobs.length < PAGE) break;
      }
    }
  }
  return ids;
}

/** Of these job ids, those whose job is about the user. */
async function theUsers(queue: Queue, ids: string[], user: string): Promise<string[]> {
  const mine: string[] = [];
  for (let i = 0; i < ids.length; i += PAGE) {
    const jobs = await Promise.all(ids.slice(i, i + PAGE).map((id) => queue.getJob(id)));
    for (const job of jobs)
      if (job && userKeyOf(job.data?.message) === user) mine.push(String(job.id));
  }
  return mine;
}

/** Removes the jobs, and answers how many went and which are active (locked by a worker). */
async function removeAll(
  queue: Queue,
  ids: Set<string>,
): Promise<{ removed: number; active: string[] }> {
  const list = [...ids];
  // BullMQ's remove deletes the job's hash, its logs and its entry in whichever list or set holds it,
  // and answers 0 for a job that is locked (active) or already gone.
  const results = await Promise.all(list.map((id) => queue.remove(id)));
  const kept = list.filter((_, i) => results[i] !== 1);
  const states = await Promise.all(kept.map((id) => queue.getJobState(id)));
  return {
    removed: results.filter((result) => result === 1).length,
    active: kept.filter((_, i) => states[i] === "active"),
  };
}
