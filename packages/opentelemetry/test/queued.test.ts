// A queued job continued in a worker: the enqueue's send span puts its W3C trace context in the carrier,
// the job carries it, and the worker's attempt span continues the sign-in's trace with a link to it.
// The queue here is an array; the host's two calls are the kit's, as @auth-recipes/bullmq makes them:
// traceEnqueue around adding the jobs, runAttempt with the job's carrier in the worker.
import { composeEvents, defineRecipe, type EventName } from "@auth-recipes/core";
import { resolveRoutes, runAttempt, traceEnqueue } from "@auth-recipes/core/kit";
import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { parentOf, setUpTracing, type Tracing } from "./tracing.ts";

interface Job {
  event: EventName;
  recipe: string;
  dispatchId: string;
  traceCarrier: Record<string, string>;
}

let tracing: Tracing;
beforeAll(() => {
  tracing = setUpTracing();
});
afterEach(() => tracing.exporter.reset());
afterAll(() => tracing.close());

function queueingRecipe(queue: Job[], recipes: string[], fail: boolean | (() => Error) = false) {
  return defineRecipe({
    name: "bullmq",
    events: {
      createUser: async (_message, { event, dispatchId }) => {
        await traceEnqueue(
          { event, dispatchId, recipe: "bullmq", recipes, queue: "auth-recipes" },
          async (carrier) => {
            if (typeof fail === "function") throw fail();
            if (fail) throw new Error("connect ECONNREFUSED 127.0.0.1:6379");
            // One job per recipe, each with a copy of the carrier the tracer filled in.
            for (const recipe of recipes)
              queue.push({ event, recipe, dispatchId, traceCarrier: { ...carrier } });
          },
        );
      },
    },
  });
}

// The worker's recipes: Slack fails on its first attempt.
let slackCalls = 0;
const workerRoutes = resolveRoutes([
  defineRecipe({ name: "welcome-email", events: { createUser: async () => {} } }),
  defineRecipe({
    name: "slack",
    events: {
      createUser: async () => {
        slackCalls += 1;
        if (slackCalls === 1) throw Object.assign(new Error("503"), { name: "SlackError" });
      },
    },
  }),
]);

/** What a worker does with a job: one attempt, with the job's carrier, outside any request. */
async function work(job: Job, attempt = 1): Promise<string> {
  const route = workerRoutes[job.event].find((candidate) => candidate.recipe === job.recipe)!;
  const outcome = await context.with(ROOT_CONTEXT, () =>
    runAttempt(
      route,
      { user: { id: "u1" } },
      {
        attempt,
        dispatchId: job.dispatchId,
        traceCarrier: job.traceCarrier,
      },
    ),
  );
  return outcome.status;
}

it("continues the sign-in's trace in the worker: a child of the send span, linked to it", async () => {
  const queue: Job[] = [];
  const events = composeEvents([queueingRecipe(queue, ["welcome-email", "slack"])], {
    onError: () => {},
  });
  await tracing.inSpan("POST /api/auth/callback/google", () =>
    events.createUser!({ user: { id: "u1", email: "a@b.test" } }),
  );
  expect(queue).toHaveLength(2);
  expect(queue[0]!.traceCarrier.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);

  const request = tracing.span("POST /api/auth/callback/google");
  const enqueuer = tracing.span("auth-recipes createUser bullmq");
  const send = tracing.span("send auth-recipes");
  expect(parentOf(send)).toBe(enqueuer.spanContext().spanId);
  expect(send.kind).toBe(SpanKind.PRODUCER);
  expect(send.attributes).toMatchObject({
    "messaging.operation.type": "send",
    "messaging.destination.name": "auth-recipes",
    "messaging.batch.message_count": 2,
    "auth_recipes.recipes": ["welcome-email", "slack"],
  });
  expect(queue[0]!.traceCarrier.traceparent).toContain(send.spanContext().spanId);

  tracing.exporter.reset();
  expect(await work(queue[0]!)).toBe("fulfilled");
  expect(await work(queue[1]!, 1)).toBe("rejected");
  expect(await work(queue[1]!, 2)).toBe("fulfilled");

  const welcome = tracing.span("auth-recipes createUser welcome-email");
  const slacks = tracing.spans().filter((span) => span.name === "auth-recipes createUser slack");
  expect(slacks.map((span) => span.attributes["auth_recipes.attempt"])).toEqual([1, 2]);
  expect(slacks.map((span) => span.status.code)).toEqual([
    SpanStatusCode.ERROR,
    SpanStatusCode.UNSET,
  ]);
  expect(slacks[0]!.attributes["error.type"]).toBe("SlackError");
  for (const span of [welcome, ...slacks]) {
    expect(span.kind).toBe(SpanKind.CONSUMER);
    expect(span.spanContext().traceId).toBe(request.spanContext().traceId);
    expect(parentOf(span)).toBe(send.spanContext().spanId);
    expect(span.links.map((link) => link.context.spanId)).toEqual([send.spanContext().spanId]);
    expect(span.attributes["messaging.message.id"]).toBe(queue[0]!.dispatchId);
  }
});

it("marks the send span ERROR when the jobs could not be added", async () => {
  const queue: Job[] = [];
  const events = composeEvents([queueingRecipe(queue, ["slack"], true)], { onError: () => {} });
  await events.createUser!({ user: { id: "u1" } });
  const send = tracing.span("send auth-recipes");
  expect(send.status.code).toBe(SpanStatusCode.ERROR);
  expect(send.attributes["error.type"]).toBe("Error");
  expect(send.status.message).not.toContain("127.0.0.1");
});

it("filters the queue error's name as an attempt's: an address or a credential in it never reaches the span", async () => {
  for (const name of ["alice@example.test", "Bearer sk_live_0123456789abcdef", "a\nforged line"]) {
    tracing.exporter.reset();
    const events = composeEvents(
      [queueingRecipe([], ["slack"], () => Object.assign(new Error("down"), { name }))],
      { onError: () => {} },
    );
    await events.createUser!({ user: { id: "u1" } });
    const send = tracing.span("send auth-recipes");
    expect(send.status.code).toBe(SpanStatusCode.ERROR);
    expect(send.attributes["error.type"]).toBe("Error");
    expect(send.status.message).toBe("Error: the jobs were not added");
  }
  // A class's name is kept, as on the attempt spans.
  tracing.exporter.reset();
  const events = composeEvents(
    [queueingRecipe([], ["slack"], () => Object.assign(new Error("down"), { name: "ReplyError" }))],
    { onError: () => {} },
  );
  await events.createUser!({ user: { id: "u1" } });
  expect(tracing.span("send auth-recipes").attributes["error.type"]).toBe("ReplyError");
});

it("starts a trace of its own for a job queued without a trace context", async () => {
  await work({ event: "createUser", recipe: "slack", dispatchId: "d-1", traceCarrier: {} });
  const span = tracing.span("auth-recipes createUser slack");
  expect(parentOf(span)).toBeUndefined();
  expect(span.links).toEqual([]);
  expect(span.kind).toBe(SpanKind.INTERNAL);
});
