// The spans of in-process dispatches, exported to memory from the real composeEvents: names, parents,
// attributes and statuses, a timeout, a retry, and what must never be in a span.
import { tracingChannel } from "node:diagnostics_channel";
import { composeEvents, defineRecipe, skip, TRACING_CHANNELS } from "@auth-recipes/core";
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parentOf, setUpTracing, type Tracing } from "./tracing.ts";

const EMAIL = "ada.lovelace@example.test";
const TOKEN = "ya29.a0AfH6SMBsecret-access-token";
const user = { id: "u1", email: EMAIL, name: "Ada Lovelace" };
const account = {
  provider: "google",
  type: "oauth",
  providerAccountId: "g-1",
  access_token: TOKEN,
  id_token: "eyJhbGciOi.secret-id-token",
};

let tracing: Tracing;
beforeAll(() => {
  tracing = setUpTracing();
});
afterEach(() => tracing.exporter.reset());
afterAll(() => tracing.close());

const quiet = { onError: () => {} };

describe("a dispatch", () => {
  it("is a span named after its event, a child of the active span, with a child per handler", async () => {
    const events = composeEvents(
      [
        defineRecipe({ name: "welcome-email", events: { createUser: async () => {} } }),
        defineRecipe({ name: "slack", events: { createUser: () => skip("no channel for tests") } }),
        { createUser: async () => {} },
      ],
      quiet,
    );
    await tracing.inSpan("POST /api/auth/callback", () => events.createUser!({ user }));

    const request = tracing.span("POST /api/auth/callback");
    const dispatch = tracing.span("auth-recipes createUser");
    expect(parentOf(dispatch)).toBe(request.spanContext().spanId);
    expect(dispatch.spanContext().traceId).toBe(request.spanContext().traceId);
    expect(dispatch.kind).toBe(SpanKind.INTERNAL);
    expect(dispatch.status.code).toBe(SpanStatusCode.UNSET);
    expect(dispatch.attributes).toMatchObject({
      "messaging.system": "auth-recipes",
      "messaging.operation.type": "process",
      "messaging.destination.name": "createUser",
      "auth_recipes.event": "createUser",
      "auth_recipes.recipes": ["welcome-email", "slack", "events[2]"],
      "messaging.batch.message_count": 3,
      "auth_recipes.rejected_count": 0,
    });
    const dispatchId = dispatch.attributes["messaging.message.id"];
    expect(dispatchId).toMatch(/^[0-9a-f-]{36}$/);

    const welcome = tracing.span("auth-recipes createUser welcome-email");
    const slack = tracing.span("auth-recipes createUser slack");
    const plain = tracing.span("auth-recipes createUser events[2]");
    // The dispatch ends after every attempt: the exporter receives spans in the order they end. (Not
    // their end times: the SDK anchors each span's clock to Date.now() when it starts, so spans that end
    // within a millisecond of each other can carry end times in either order.)
    const ended = tracing.spans();
    for (const attempt of [welcome, slack, plain]) {
      expect(parentOf(attempt)).toBe(dispatch.spanContext().spanId);
      expect(attempt.attributes["messaging.message.id"]).toBe(dispatchId);
      expect(attempt.attributes["auth_recipes.attempt"]).toBe(1);
      expect(attempt.attributes["auth_recipes.timed_out"]).toBe(false);
      expect(ended.indexOf(attempt)).toBeLessThan(ended.indexOf(dispatch));
    }
    expect(welcome.attributes["auth_recipes.outcome"]).toBe("fulfilled");
    expect(welcome.status.code).toBe(SpanStatusCode.UNSET);
    expect(slack.attributes).toMatchObject({
      "auth_recipes.recipe": "slack",
      "auth_recipes.outcome": "skipped",
      "auth_recipes.skip_reason": "no channel for tests",
    });
    expect(slack.status.code).toBe(SpanStatusCode.UNSET);
  });

  it("marks a failed handler's span ERROR with error.type, and the dispatch with who failed", async () => {
    class StripeConnectionError extends Error {
      override name = "StripeConnectionError";
    }
    const events = composeEvents(
      [
        defineRecipe({ name: "ok", events: { createUser: async () => {} } }),
        defineRecipe({
          name: "stripe-customer",
          events: {
            createUser: async () => {
              throw new StripeConnectionError("connection refused");
            },
          },
        }),
        defineRecipe({
          name: "odd",
          events: {
            createUser: () => {
              throw "a string"; // a thrown non-Error is a failure too
            },
          },
        }),
      ],
      quiet,
    );
    await events.createUser!({ user });

    const stripe = tracing.span("auth-recipes createUser stripe-customer");
    expect(stripe.status).toEqual({ code: SpanStatusCode.ERROR, message: "connection refused" });
    expect(stripe.attributes).toMatchObject({
      "auth_recipes.outcome": "rejected",
      "error.type": "StripeConnectionError",
      "auth_recipes.timed_out": false,
    });
    const odd = tracing.span("auth-recipes createUser odd");
    expect(odd.status.code).toBe(SpanStatusCode.ERROR);
    expect(odd.attributes["error.type"]).toBe("string");
    const dispatch = tracing.span("auth-recipes createUser");
    expect(dispatch.status).toEqual({
      code: SpanStatusCode.ERROR,
      message: "failed: stripe-customer, odd",
    });
    expect(dispatch.attributes["auth_recipes.rejected_count"]).toBe(2);
    // Without a parent span, the dispatch is the root of its own trace.
    expect(parentOf(dispatch)).toBeUndefined();
  });

  it("ends a timed-out attempt's span at the timeout, as a TimeoutError, while the others go on", async () => {
    const events = composeEvents(
      [
        defineRecipe({
          name: "hung",
          timeoutMs: 50,
          events: { signIn: () => new Promise<void>(() => {}) },
        }),
        defineRecipe({
          name: "slow",
          events: { signIn: () => new Promise<void>((done) => setTimeout(done, 400)) },
        }),
      ],
      quiet,
    );
    await events.signIn!({ user, account });

    const hung = tracing.span("auth-recipes signIn hung");
    const slow = tracing.span("auth-recipes signIn slow");
    expect(hung.attributes).toMatchObject({
      "auth_recipes.outcome": "rejected",
      "auth_recipes.timed_out": true,
      "error.type": "TimeoutError",
    });
    expect(hung.status).toEqual({ code: SpanStatusCode.ERROR, message: "timed out after 50 ms" });
    const hungMs = hrMs(hung.duration);
    expect(hungMs).toBeGreaterThanOrEqual(45);
    // Ended by its 50 ms timeout, long before the 400 ms the slow one took (room for a busy machine).
    expect(hungMs).toBeLessThan(300);
    // Concurrent: both started together (one after the other would be 50 ms apart), and the slow one
    // outlived the hung one's timeout.
    expect(Math.abs(hrMs(hung.startTime) - hrMs(slow.startTime))).toBeLessThan(40);
    expect(hrMs(slow.endTime)).toBeGreaterThan(hrMs(hung.endTime));
    expect(slow.attributes["auth_recipes.outcome"]).toBe("fulfilled");
  });

  it("gives each attempt of a retried handler its own span, under the same dispatch", async () => {
    let calls = 0;
    const events = composeEvents(
      [
        defineRecipe({
          name: "flaky",
          retry: { retries: 3, minDelayMs: 5, maxDelayMs: 5, jitter: false },
          events: {
            updateUser: async () => {
              calls += 1;
              if (calls < 3) throw Object.assign(new Error("503 from upstream"), { status: 503 });
            },
          },
        }),
      ],
      quiet,
    );
    await events.updateUser!({ user });

    const dispatch = tracing.span("auth-recipes updateUser");
    const attempts = tracing
      .spans()
      .filter((span) => span.name === "auth-recipes updateUser flaky")
      .sort((a, b) => hrMs(a.startTime) - hrMs(b.startTime));
    expect(attempts.map((span) => span.attributes["auth_recipes.attempt"])).toEqual([1, 2, 3]);
    expect(attempts.map((span) => span.attributes["auth_recipes.outcome"])).toEqual([
      "rejected",
      "rejected",
      "fulfilled",
    ]);
    expect(attempts.map((span) => span.status.code)).toEqual([
      SpanStatusCode.ERROR,
      SpanStatusCode.ERROR,
      SpanStatusCode.UNSET,
    ]);
    for (const attempt of attempts) {
      expect(parentOf(attempt)).toBe(dispatch.spanContext().spanId);
      expect(attempt.attributes["messaging.message.id"]).toBe(
        dispatch.attributes["messaging.message.id"],
      );
    }
    // The backoff lies between one attempt's end and the next one's start.
    expect(hrMs(attempts[1]!.startTime)).toBeGreaterThanOrEqual(hrMs(attempts[0]!.endTime));
    expect(dispatch.status.code).toBe(SpanStatusCode.UNSET);
  });
});

describe("what a span never holds", () => {
  it("has no email address and no token in any name, attribute, status, event or link", async () => {
    const events = composeEvents(
      [
        defineRecipe({
          name: "leaky",
          events: {
            signIn: async ({ user, account }) => {
              throw new Error(
                `could not reach ${user.email} with Bearer ${(account as { access_token?: string }).access_token}`,
              );
            },
          },
        }),
        defineRecipe({
          name: "skipper",
          events: { signIn: ({ user }) => skip(`no consent from ${user.email}`) },
        }),
        defineRecipe({
          name: "coded",
          events: {
            signIn: () => {
              throw Object.assign(new Error("x"), { name: `Err ${EMAIL}`, code: `E_${EMAIL}` });
            },
          },
        }),
      ],
      quiet,
    );
    await events.signIn!({ user, account, profile: { email: EMAIL }, isNewUser: true });

    const spans = tracing.spans();
    expect(spans).toHaveLength(4);
    const exported = JSON.stringify(
      spans.map((span) => ({
        name: span.name,
        attributes: span.attributes,
        status: span.status,
        events: span.events,
        links: span.links,
      })),
    );
    expect(exported).not.toContain(EMAIL);
    expect(exported).not.toContain("ada.lovelace");
    expect(exported).not.toContain(TOKEN);
    expect(exported).not.toContain("secret-id-token");
    // What failed is still told, redacted.
    expect(tracing.span("auth-recipes signIn leaky").status.message).toBe(
      "could not reach [redacted] with Bearer [redacted]",
    );
    expect(tracing.span("auth-recipes signIn skipper").attributes["auth_recipes.skip_reason"]).toBe(
      "no consent from [redacted]",
    );
  });
});

describe("configuration", () => {
  it("stops at disable(): no span, and core's channels have no subscriber left", async () => {
    const events = composeEvents([{ signOut: async () => {} }], quiet);
    tracing.instrumentation.disable();
    try {
      expect(tracingChannel(TRACING_CHANNELS.dispatch).start.hasSubscribers).toBe(false);
      expect(tracingChannel(TRACING_CHANNELS.attempt).start.hasSubscribers).toBe(false);
      await events.signOut!({ token: { sub: "u1" } });
      expect(tracing.spans()).toEqual([]);
    } finally {
      tracing.instrumentation.enable();
      tracing.instrumentation.enable(); // twice subscribes once
    }
    await events.signOut!({ token: { sub: "u1" } });
    expect(tracing.spans().map((span) => span.name)).toEqual([
      "auth-recipes signOut events[0]",
      "auth-recipes signOut",
    ]);
  });

  it("leaves out ignored events, and without a parent when one is required", async () => {
    const events = composeEvents([{ session: () => {}, signIn: () => {} }], quiet);
    tracing.instrumentation.setConfig({ ignoreEvents: ["session"], requireParentSpan: true });
    try {
      await tracing.inSpan("GET /api/auth/session", () =>
        events.session!({ session: { user, sessionToken: TOKEN } }),
      );
      await events.signIn!({ user, account });
      expect(tracing.spans().map((span) => span.name)).toEqual(["GET /api/auth/session"]);
      await tracing.inSpan("POST /api/auth/signin", () => events.signIn!({ user, account }));
      expect(tracing.spans().map((span) => span.name)).toEqual([
        "GET /api/auth/session",
        "auth-recipes signIn events[0]",
        "auth-recipes signIn",
        "POST /api/auth/signin",
      ]);
    } finally {
      tracing.instrumentation.setConfig({});
    }
  });
});

function hrMs([seconds, nanos]: [number, number]): number {
  return seconds * 1000 + nanos / 1e6;
}
