// The CLI's connection to Redis: a URL checked before anything is sent, bounded waits, and a database
// that is the one asked for or an error. A tool acting on dead letters must never wait forever nor act
// on another database's jobs.
import { Queue } from "bullmq";

/**
 * How long the CLI waits for Redis, in ms: for the connection to become ready, and for each command's
 * reply (ioredis's `commandTimeout`). Against an endpoint that accepts connections and never answers
 * (a paused server, a black hole) the CLI exits with one line after about this long.
 */
export const CLI_TIMEOUT_MS = 5_000;

/** An error the CLI prints as one line, without a stack trace. */
export class CliError extends Error {
  override name = "CliError";
}

// A database index as Redis takes it: digits only (no sign, no fraction), at most what SELECT accepts.
const DATABASE = /^\d{1,10}$/;

/** The ioredis options for a `redis://` or `rediss://` URL, its database checked for shape. */
export function redisOptions(url: string): Record<string, unknown> & { db: number } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError("--redis must be a redis:// or rediss:// URL");
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    throw new CliError("--redis must be a redis:// or rediss:// URL");
  }
  const path = parsed.pathname.slice(1);
  if (path !== "" && (!DATABASE.test(path) || Number(path) > 2 ** 31 - 1)) {
    throw new CliError(
      `the database in the Redis URL must be a whole number ≥ 0 (got ${JSON.stringify(decodeURIComponent(path).slice(0, 40))})`,
    );
  }
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    db: path === "" ? 0 : Number(path),
    ...(parsed.protocol === "rediss:" ? { tls: {} } : {}),
    // A tool should fail, not wait forever, when Redis is not there or does not answer.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
    connectTimeout: CLI_TIMEOUT_MS,
    commandTimeout: CLI_TIMEOUT_MS,
  };
}

/** Rejects with `error` after `ms`, unless `promise` settles first. */
async function within<T>(promise: Promise<T>, ms: number, error: () => Error): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(error()), ms);
  });
  promise.catch(() => {});
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** The one line the CLI prints for a failure: timeouts and Redis's refusals said plainly. */
export function describeFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/command timed out/i.test(message)) return noAnswer().message;
  return message.replace(/\s+/g, " ").trim();
}

function noAnswer(): CliError {
  return new CliError(`Redis did not answer within ${CLI_TIMEOUT_MS / 1000} s`);
}

/**
 * The named queue on the URL's Redis, ready, on the URL's database: a database the server does not have
 * (`/16` on a server of 16) is an error, never a silent database 0.
 */
export async function openQueue(name: string, url: string): Promise<Queue> {
  const options = redisOptions(url);
  const queue = new Queue(name, { connection: options });
  queue.on("error", () => {});
  try {
    await within(queue.waitUntilReady(), CLI_TIMEOUT_MS, noAnswer);
    // ioredis sends the URL's SELECT itself on connect, but only emits its failure as an event and goes
    // on with database 0: selecting again here turns that into an error before any job is read.
    const client = (await queue.getBackend().client) as unknown as {
      select(db: number): Promise<unknown>;
    };
    await client.select(options.db).catch((error: unknown) => {
      throw new CliError(
        `Redis refused database ${options.db} (${describeFailure(error)}): check the URL's /<db>`,
      );
    });
    return queue;
  } catch (error) {
    // Not awaited: BullMQ's disconnect waits for the connection's setup, which is what did not answer.
    queue.disconnect().catch(() => {});
    throw error;
  }
}
