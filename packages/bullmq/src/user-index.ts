import { createHash, hash } from "node:crypto";
import type { Queue } from "bullmq";

/**
 * The per-user index of recipe jobs, which lets {@link forgetUser} find one user's jobs without reading
 * every job: a Redis set of job ids per user, at `<prefix>:<queue>:auth-recipes-user:<hash>`, where the
 * hash is of the user's id (so no id, which may be an email, is stored in a key). It shares the queue's
 * prefix, so a `{hash-tag}` prefix keeps it on the queue's Redis Cluster slot.
 *
 * How it grows: one set per user with jobs, holding the ids of that user's kept jobs. Ids of jobs BullMQ
 * has since removed (completed jobs past the dedupe window) are pruned by the enqueue once a set holds
 * more than {@link PRUNE_ABOVE} ids, and the whole set expires {@link INDEX_SLACK_MS} past the longest its
 * jobs can be kept (delay + dedupe window + the slack again), refreshed by each enqueue: a user who
 * never returns costs nothing after that. Dead letters that failed longer ago than the slack may outlive
 * their set: {@link forgetUser} reads those from the failed set's oldest end.
 */
const INDEX_PART = "auth-recipes-user";

/** Stale ids a user's set may hold before an enqueue prunes it. */
export const PRUNE_ABOVE: number = 32;

/** How long a user's set outlives the longest its newest job can be kept: 30 days. */
export const INDEX_SLACK_MS: number = 30 * 86_400_000;

// Adds the new ids; prunes ids whose job hash is gone once the set is large; extends the set's TTL
// (never shortens it: a long-delayed job's entry must outlive a later short one). One call per enqueue.
// KEYS[1] the set; ARGV[1] the job key prefix; ARGV[2] the TTL in ms; ARGV[3] prune threshold; ARGV[4..] ids.
const INDEX_SCRIPT = `
local new = {}
for i = 4, #ARGV do
  redis.call("SADD", KEYS[1], ARGV[i])
  new[ARGV[i]] = true
end
if redis.call("SCARD", KEYS[1]) > tonumber(ARGV[3]) then
  for _, id in ipairs(redis.call("SMEMBERS", KEYS[1])) do
    if not new[id] and redis.call("EXISTS", ARGV[1] .. id) == 0 then
      redis.call("SREM", KEYS[1], id)
    end
  end
end
if redis.call("PTTL", KEYS[1]) < tonumber(ARGV[2]) then
  redis.call("PEXPIRE", KEYS[1], ARGV[2])
end
return 1
`;

const INDEX_SHA = createHash("sha1").update(INDEX_SCRIPT).digest("hex");

/** The subset of ioredis the index uses: what the Redis backend's client has. */
export interface IndexClient {
  eval(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
  evalsha(sha: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
  smembers(key: string): Promise<string[]>;
  srem(key: string, ...members: string[]): Promise<number>;
  del(key: string): Promise<number>;
  zrangebyscore(key: string, min: number | string, max: number | string): Promise<string[]>;
  /** ioredis's socket: what {@link addIndexed} holds its writes in, so they leave in one write. */
  stream?: unknown;
}

/**
 * Holds the socket's writes until this tick's microtasks are done, then sends them in one `writev`: the
 * index's script call and the `addBulk` pipeline BullMQ writes a few awaits later leave in one system
 * call, and Redis answers both in one reply, as if the index were part of the pipeline. Without it each
 * is its own write and, often, its own read: on a busy host the enqueue's most costly steps.
 */
function writeTogether(stream: unknown): void {
  const socket = stream as { cork?: unknown; uncork?: unknown } | null | undefined;
  if (typeof socket?.cork !== "function" || typeof socket.uncork !== "function") return;
  (socket as { cork(): void }).cork();
  // A tick runs after the microtasks queued before it: BullMQ's awaits up to its pipeline's write are
  // resolved promises, so the pipeline is written (held) before this. Were it later, it is simply a
  // second write, as without the cork; the socket is never left held.
  process.nextTick(() => (socket as { uncork(): void }).uncork());
}

/** The user a job is about, as text: `user.id`, a JWT's `sub`, a session's `userId`; numbers too. */
export function userKeyOf(message: unknown): string | undefined {
  if (typeof message !== "object" || message === null) return undefined;
  const parts = message as Record<string, unknown>;
  for (const [field, id] of [
    ["user", "id"],
    ["token", "sub"],
    ["session", "userId"],
  ] as const) {
    const holder = parts[field];
    if (typeof holder !== "object" || holder === null) continue;
    const value = (holder as Record<string, unknown>)[id];
    if (typeof value === "string" && value) return value;
    if (typeof value === "number" && Number.isFinite(value)) return String(value);
    if (typeof value === "bigint") return String(value);
  }
  return undefined;
}

/** The key of one user's set: the id hashed, so that the key holds nothing about the user. */
export function userIndexKey(queue: Pick<Queue, "toKey">, userId: string | number): string {
  // One-shot hash: a third of createHash's cost, and this runs on every enqueue.
  const digest = hash("sha256", `auth-recipes:user:${String(userId)}`, "hex");
  return queue.toKey(`${INDEX_PART}:${digest.slice(0, 32)}`);
}

/** The queue's Redis client, when its backend is Redis (BullMQ's PostgreSQL backend has none). */
export async function redisClientOf(queue: Queue): Promise<IndexClient | undefined> {
  const backend = queue.getBackend() as { client?: Promise<unknown> };
  const client = (await backend.client) as Partial<IndexClient> | undefined;
  return typeof client?.evalsha === "function" && typeof client.smembers === "function"
    ? (client as IndexClient)
    : undefined;
}

/** One job as `addBulk` takes it, with what the index reads. */
interface IndexedJob {
  data: { message?: unknown };
  opts?: { jobId?: string; delay?: number; removeOnComplete?: unknown };
}

/**
 * Adds the jobs with `addBulk`, writing each user's index entry on the same connection just before
 * them, without waiting for it: both are in flight at once, so the enqueue still costs one round trip.
 * Redis runs the commands of one connection in order, so a job is never stored unindexed: if the index
 * write fails, so does the add behind it (and the enqueue falls back); if the add fails after it, the
 * set holds an id with no job, which the next prune or `forgetUser` drops.
 */
export async function addIndexed(
  queue: Queue,
  jobs: Parameters<Queue["addBulk"]>[0],
  keptMs: number,
): Promise<void> {
  const client = await redisClientOf(queue);
  // By user id: an enqueue's jobs are all one user's, so the key is hashed once, not once per job.
  const byUser = new Map<string, { ids: string[]; ttl: number }>();
  if (client) {
    for (const job of jobs as IndexedJob[]) {
      const user = userKeyOf(job.data?.message);
      const id = job.opts?.jobId;
      if (user === undefined || id === undefined) continue;
      const entry = byUser.get(user) ?? { ids: [], ttl: 0 };
      entry.ids.push(id);
      entry.ttl = Math.max(entry.ttl, (job.opts?.delay ?? 0) + keptMs + INDEX_SLACK_MS);
      byUser.set(user, entry);
    }
  }
  const args = [...byUser].map(([user, { ids, ttl }]) => [
    userIndexKey(queue, user),
    queue.toKey(""),
    ttl,
    PRUNE_ABOVE,
    ...ids,
  ]);
  if (args.length) writeTogether(client?.stream);
  // By its hash: the script's text is sent only when Redis does not have it yet (after a restart).
  const indexing = args.map((list) => (client as IndexClient).evalsha(INDEX_SHA, 1, ...list));
  // Awaited after the add, so that a rejection is never unhandled; the add's own error comes first.
  const indexed = Promise.all(indexing);
  indexed.catch(() => {});
  await queue.addBulk(jobs);
  try {
    await indexed;
  } catch (error) {
    if (!String((error as Error)?.message).includes("NOSCRIPT")) throw error;
    // Redis has not seen the script (it restarted): send it whole. This once, it runs after the add.
    await Promise.all(args.map((list) => (client as IndexClient).eval(INDEX_SCRIPT, 1, ...list)));
  }
}
