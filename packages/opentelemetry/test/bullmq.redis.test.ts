// A sign-up queued with @auth-recipes/bullmq on a real redis-server (Debian's, on a free loopback port)
// and run by a real worker: the worker's spans join the sign-in's trace, and the job in Redis carries
// the W3C trace context and nothing else of tracing.
import { enqueueRecipes, startRecipeWorker } from "@auth-recipes/bullmq";
import { composeEvents, defineRecipe } from "@auth-recipes/core";
import { type RedisServer, startRedisServer } from "@auth-recipes/testing";
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { Queue } from "bullmq";
import { afterAll, beforeAll, expect, it } from "vitest";
import { parentOf, setUpTracing, type Tracing } from "./tracing.ts";

let tracing: Tracing;
let redis: RedisServer;
let connection: { host: string; port: number };

beforeAll(async () => {
  tracing = setUpTracing();
  redis = await startRedisServer({ appendOnly: false });
  connection = redis.connection;
});

afterAll(async () => {
  await tracing?.close();
  await redis?.close();
});

it("continues the sign-in's trace in the worker, through the job in Redis", async () => {
  const ran: string[] = [];
  const recipes = [
    defineRecipe({
      name: "welcome-email",
      events: { createUser: async () => void ran.push("welcome-email") },
    }),
    defineRecipe({ name: "slack", events: { createUser: async () => void ran.push("slack") } }),
  ];
  const queue = new Queue("auth-recipes", {
    connection: { ...connection, enableOfflineQueue: false },
  });
  queue.on("error", () => {});
  await queue.waitUntilReady();
  const events = composeEvents([enqueueRecipes(recipes, { queue })], { onError: () => {} });
  await tracing.inSpan("POST /api/auth/callback/email", () =>
    events.createUser!({ user: { id: "u1", email: "ada@example.test" } }),
  );

  const [job] = await queue.getJobs(["waiting"]);
  const send = tracing.span("send auth-recipes");
  expect(job?.data.traceCarrier).toEqual({
    traceparent: `00-${send.spanContext().traceId}-${send.spanContext().spanId}-01`,
  });

  const worker = startRecipeWorker(recipes, { connection, onError: () => {} });
  try {
    const deadline = Date.now() + 15_000;
    while (tracing.spans().filter((span) => span.kind === SpanKind.CONSUMER).length < 2) {
      if (Date.now() > deadline) throw new Error("the worker's spans did not arrive");
      await new Promise((wake) => setTimeout(wake, 50));
    }
  } finally {
    await worker.close();
    await queue.close();
  }
  expect(ran.sort()).toEqual(["slack", "welcome-email"]);

  const request = tracing.span("POST /api/auth/callback/email");
  const enqueuer = tracing.span("auth-recipes createUser bullmq");
  expect(parentOf(send)).toBe(enqueuer.spanContext().spanId);
  expect(send.kind).toBe(SpanKind.PRODUCER);
  const consumers = tracing.spans().filter((span) => span.kind === SpanKind.CONSUMER);
  expect(consumers.map((span) => span.name).sort()).toEqual([
    "auth-recipes createUser slack",
    "auth-recipes createUser welcome-email",
  ]);
  for (const span of consumers) {
    expect(span.spanContext().traceId).toBe(request.spanContext().traceId);
    expect(parentOf(span)).toBe(send.spanContext().spanId);
    expect(span.links.map((link) => link.context.spanId)).toEqual([send.spanContext().spanId]);
    expect(span.attributes["messaging.message.id"]).toBe(
      enqueuer.attributes["messaging.message.id"],
    );
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
  }
  expect(JSON.stringify(tracing.spans().map((span) => span.attributes))).not.toContain(
    "ada@example.test",
  );
});
