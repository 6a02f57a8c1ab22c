// Queue mode: when AUTH_RECIPES_REDIS_URL is set, the app's events only enqueue (one Redis round trip in
// the sign-in) and `scripts/worker.ts` runs the recipes. Unset (the default), the recipes run in the
// request and nothing here is loaded beyond this file's checks, so the Quick start needs no Redis.
import { Queue } from "bullmq";

/** The queue's name when `AUTH_RECIPES_QUEUE` is unset: the package's default, and its CLI's. */
export const DEFAULT_QUEUE_NAME = "auth-recipes";

/** Where the queue lives, from the same variables as `npx auth-recipes-jobs`. */
export interface QueueSettings {
  /** `redis://127.0.0.1:6379`, as given: never logged (it may carry a password). */
  url: string;
  name: string;
  /** BullMQ's connection options for that URL. */
  connection: { host: string; port: number; username?: string; password?: string; db?: number };
}

/**
 * Queue mode's settings, or undefined when queue mode is off. A URL that does not parse is an error at
 * start, not a sign-in that silently runs nothing.
 */
export function queueSettings(
  env: Record<string, string | undefined> = process.env,
): QueueSettings | undefined {
  const url = env.AUTH_RECIPES_REDIS_URL?.trim();
  if (!url) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(
      "AUTH_RECIPES_REDIS_URL must be a redis:// URL, such as redis://127.0.0.1:6379",
    );
  }
  if (parsed.protocol !== "redis:") {
    throw new TypeError(
      "AUTH_RECIPES_REDIS_URL must be a redis:// URL, such as redis://127.0.0.1:6379",
    );
  }
  const db = Number(parsed.pathname.slice(1) || 0);
  return {
    url,
    name: env.AUTH_RECIPES_QUEUE?.trim() || DEFAULT_QUEUE_NAME,
    connection: {
      host: parsed.hostname || "127.0.0.1",
      port: Number(parsed.port || 6379),
      ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
      ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
      ...(db ? { db } : {}),
    },
  };
}

let queue: Queue | undefined;

/**
 * The web process's queue, made once on first use. `enableOfflineQueue: false` makes an enqueue fail at
 * once while Redis is down, so `enqueueRecipes`' fallback runs the recipes in the request instead of the
 * sign-in waiting for a reconnect.
 */
export function getQueue(settings: QueueSettings): Queue {
  queue ??= new Queue(settings.name, {
    connection: { ...settings.connection, enableOfflineQueue: false },
  });
  return queue;
}

/** The app's queue in queue mode (AUTH_RECIPES_REDIS_URL set), else undefined: the recipes run inline. */
export function appQueue(): Queue | undefined {
  const settings = queueSettings();
  return settings ? getQueue(settings) : undefined;
}
