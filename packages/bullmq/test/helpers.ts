import type { EventName, HandlerContext, Recipe } from "@auth-recipes/core";
import { segmentTracking } from "@auth-recipes/segment";
import { slackNotify } from "@auth-recipes/slack";
import { stripeCustomer } from "@auth-recipes/stripe";
import type { Emulators, RedisServer } from "@auth-recipes/testing";
import { welcomeEmail } from "@auth-recipes/welcome-email";
import { Analytics } from "@segment/analytics-node";
import { WebClient } from "@slack/web-api";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import Stripe from "stripe";

/** One call a recording recipe received. */
export interface Call {
  event: EventName;
  message: unknown;
  context: Omit<HandlerContext, "signal"> & { aborted: boolean };
  at: number;
}

/**
 * A recipe that records every call, for counting: `behave` decides each attempt's outcome (return to
 * succeed, throw to fail, or return a promise).
 */
export function recording(
  name: string,
  events: EventName[] = ["createUser"],
  behave: (call: Call, signal: AbortSignal) => unknown = () => undefined,
  extra: Partial<Recipe> = {},
): Recipe & { calls: Call[] } {
  const calls: Call[] = [];
  const handler = (message: unknown, context: HandlerContext) => {
    const { signal, event, recipe, attempt, deadline, dispatchId } = context;
    const call: Call = {
      event: event as EventName,
      message,
      context: { event, recipe, attempt, deadline, dispatchId, aborted: signal.aborted },
      at: Date.now(),
    };
    calls.push(call);
    return behave(call, signal);
  };
  return {
    name,
    events: Object.fromEntries(events.map((event) => [event, handler])),
    calls,
    ...extra,
  };
}

/** An error shaped like an upstream's, so that isRetryable classifies it. */
export function upstreamError(status: number, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`upstream answered ${status} for alice@example.test`), {
    status,
    ...extra,
  });
}

/** A producer's queue, as the web process makes it: no offline queue, so an outage fails fast. */
export function producerQueue(
  redis: Pick<RedisServer, "connection">,
  name = "auth-recipes",
): Queue {
  const queue = new Queue(name, { connection: { ...redis.connection, enableOfflineQueue: false } });
  queue.on("error", () => {});
  return queue;
}

/** A plain client to read what Redis holds. */
export function redisClient(redis: Pick<RedisServer, "connection">): Redis {
  return new Redis({ ...redis.connection, lazyConnect: false, maxRetriesPerRequest: 1 });
}

/** Every value of every key in Redis, as text: to search for what must never be stored. */
export async function everythingStored(client: Redis): Promise<string> {
  const keys = await client.keys("*");
  const parts: string[] = [];
  for (const key of keys) {
    const type = await client.type(key);
    if (type === "string") parts.push(String(await client.get(key)));
    else if (type === "hash") parts.push(JSON.stringify(await client.hgetall(key)));
    else if (type === "list") parts.push(JSON.stringify(await client.lrange(key, 0, -1)));
    else if (type === "set") parts.push(JSON.stringify(await client.smembers(key)));
    else if (type === "zset") parts.push(JSON.stringify(await client.zrange(key, 0, -1)));
    else if (type === "stream") parts.push(JSON.stringify(await client.xrange(key, "-", "+")));
    parts.push(key);
  }
  return parts.join("\n");
}

/** Polls until `check` returns a truthy value or the time is up. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  timeoutMs = 10_000,
  what = "condition",
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The four real recipes, on clients pointed at the emulators, as an app would configure them. */
export function realRecipes(emulators: Emulators): { recipes: Recipe[]; close(): Promise<void> } {
  const analytics = new Analytics({
    writeKey: emulators.segment.writeKey,
    ...emulators.segment.clientOptions,
    maxRetries: 0,
    httpRequestTimeout: 2_000,
  });
  const slack = new WebClient(emulators.slack.token, {
    ...emulators.slack.clientOptions,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
  const stripe = new Stripe(emulators.stripe.apiKey, {
    ...emulators.stripe.clientOptions,
    telemetry: false,
    maxNetworkRetries: 0,
  });
  const recipes = [
    welcomeEmail({
      transport: emulators.smtp.smtpUrl,
      from: "Acme <hello@acme.test>",
      appName: "Acme",
    }),
    slackNotify({ client: slack, channel: "#signups" }),
    stripeCustomer({ stripe }),
    segmentTracking({ analytics }),
  ];
  return {
    recipes,
    async close() {
      await analytics.closeAndFlush({ timeout: 1_000 });
    },
  };
}
