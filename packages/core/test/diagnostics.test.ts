// The tracing channels' contract, as a subscriber sees it: which channels fire in which order, with which
// context, and that no context holds the event's message.
import { tracingChannel } from "node:diagnostics_channel";
import { afterEach, describe, expect, it } from "vitest";
import { composeEvents, defineRecipe, skip, TRACING_CHANNELS } from "../src/index.ts";

const EMAIL = "grace@example.test";
type Seen = [channel: string, phase: string, context: Record<string, unknown>];

const unsubscribes: Array<() => void> = [];
afterEach(() => {
  for (const unsubscribe of unsubscribes.splice(0)) unsubscribe();
});

function listen(): Seen[] {
  const seen: Seen[] = [];
  for (const [key, name] of Object.entries(TRACING_CHANNELS)) {
    const channel = tracingChannel(name);
    const handlers = Object.fromEntries(
      ["start", "end", "asyncStart", "asyncEnd", "error"].map((phase) => [
        phase,
        (context: Record<string, unknown>) => seen.push([key, phase, { ...context }]),
      ]),
    ) as unknown as Parameters<typeof channel.subscribe>[0];
    channel.subscribe(handlers);
    unsubscribes.push(() => channel.unsubscribe(handlers));
  }
  return seen;
}

describe("tracing channels", () => {
  it("are named as documented", () => {
    expect(TRACING_CHANNELS).toEqual({
      dispatch: "auth-recipes:dispatch",
      attempt: "auth-recipes:attempt",
      enqueue: "auth-recipes:enqueue",
    });
  });

  it("publish a dispatch around its attempts, with outcomes and redacted errors, never the message", async () => {
    const seen = listen();
    const events = composeEvents(
      [
        defineRecipe({ name: "ok", events: { createUser: async () => {} } }),
        defineRecipe({ name: "skips", events: { createUser: () => skip(`no ${EMAIL}`) } }),
        defineRecipe({
          name: "hangs",
          timeoutMs: 30,
          events: { createUser: () => new Promise<void>(() => {}) },
        }),
        defineRecipe({
          name: "fails",
          events: {
            createUser: ({ user }) => {
              throw new TypeError(`bad ${user.email}`);
            },
          },
        }),
      ],
      { onError: () => {} },
    );
    await events.createUser!({ user: { id: "u1", email: EMAIL, name: "Grace" } });

    expect(JSON.stringify(seen)).not.toContain(EMAIL);
    const dispatch = seen.filter(([channel]) => channel === "dispatch");
    expect(dispatch.map(([, phase]) => phase)).toEqual(["start", "end", "asyncStart", "asyncEnd"]);
    const dispatchId = dispatch[0]![2].dispatchId;
    expect(dispatch[0]![2]).toEqual({
      event: "createUser",
      dispatchId,
      recipes: ["ok", "skips", "hangs", "fails"],
    });
    expect(dispatch[3]![2].results).toEqual([
      { recipe: "ok", status: "fulfilled", attempts: 1 },
      { recipe: "skips", status: "skipped", attempts: 1 },
      { recipe: "hangs", status: "rejected", attempts: 1 },
      { recipe: "fails", status: "rejected", attempts: 1 },
    ]);
    // Every attempt starts after the dispatch's start and ends before its asyncStart.
    const attempts = seen.filter(([channel]) => channel === "attempt");
    const first = seen.indexOf(attempts[0]!);
    const last = seen.indexOf(attempts.at(-1)!);
    expect(first).toBeGreaterThan(seen.indexOf(dispatch[0]!));
    expect(last).toBeLessThan(seen.indexOf(dispatch[2]!));

    const ended = (recipe: string) =>
      attempts.find(([, phase, context]) => phase === "asyncEnd" && context.recipe === recipe)![2];
    expect(ended("ok")).toEqual({
      event: "createUser",
      recipe: "ok",
      attempt: 1,
      dispatchId,
      outcome: "fulfilled",
      timedOut: false,
      result: undefined,
    });
    expect(ended("skips")).toMatchObject({ outcome: "skipped", reason: "no [redacted]" });
    const hung = ended("hangs");
    expect(hung).toMatchObject({ outcome: "rejected", timedOut: true });
    expect(hung.error).toMatchObject({ name: "TimeoutError", message: "timed out after 30 ms" });
    const failed = ended("fails");
    expect(failed.error).toMatchObject({ name: "TypeError", message: "bad [redacted]" });
    // A failed attempt is published on :error too; a skip is not.
    const errors = attempts.filter(([, phase]) => phase === "error");
    expect(errors.map(([, , context]) => context.recipe).sort()).toEqual(["fails", "hangs"]);
  });

  it("publish nothing and build nothing for a composed callback once nobody listens", async () => {
    const seen = listen();
    for (const unsubscribe of unsubscribes.splice(0)) unsubscribe();
    const events = composeEvents([{ signIn: async () => {} }]);
    await events.signIn!({ user: { id: "u1" }, account: null });
    expect(seen).toEqual([]);
    expect(tracingChannel(TRACING_CHANNELS.dispatch).hasSubscribers).toBe(false);
  });
});

describe("tracing for hosts that queue recipes", () => {
  it("hands traceEnqueue's carrier as subscribers filled it, and runAttempt publishes it back", async () => {
    const { resolveRoutes, runAttempt, traceEnqueue } = await import("../src/kit/index.ts");
    // Nobody listens: an empty carrier, nothing published.
    await expect(
      traceEnqueue(
        {
          event: "createUser",
          dispatchId: "d-1",
          recipe: "bullmq",
          recipes: ["slack"],
          queue: "q",
        },
        async (carrier) => ({ ...carrier }),
      ),
    ).resolves.toEqual({});

    const seen = listen();
    const enqueue = tracingChannel<unknown, { carrier: Record<string, string> }>(
      TRACING_CHANNELS.enqueue,
    );
    const fill = {
      start: (context: { carrier: Record<string, string> }) => {
        context.carrier.traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
      },
    } as unknown as Parameters<typeof enqueue.subscribe>[0];
    enqueue.subscribe(fill);
    unsubscribes.push(() => enqueue.unsubscribe(fill));
    const carrier = await traceEnqueue(
      { event: "createUser", dispatchId: "d-1", recipe: "bullmq", recipes: ["slack"], queue: "q" },
      async (filled) => ({ ...filled }),
    );
    expect(carrier).toEqual({
      traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    });

    const routes = resolveRoutes([
      defineRecipe({ name: "slack", events: { createUser: () => {} } }),
    ]);
    const outcome = await runAttempt(
      routes.createUser[0]!,
      { user: { id: "u1", email: EMAIL } },
      {
        attempt: 2,
        dispatchId: "d-1",
        traceCarrier: carrier,
      },
    );
    expect(outcome.status).toBe("fulfilled");
    const attempt = seen.find(([channel, phase]) => channel === "attempt" && phase === "asyncEnd");
    expect(attempt?.[2]).toMatchObject({
      event: "createUser",
      recipe: "slack",
      attempt: 2,
      dispatchId: "d-1",
      outcome: "fulfilled",
      traceCarrier: carrier,
    });
    expect(seen.filter(([channel]) => channel === "enqueue").map(([, phase]) => phase)).toEqual([
      "start",
      "end",
      "asyncStart",
      "asyncEnd",
    ]);
    expect(JSON.stringify(seen)).not.toContain(EMAIL);
  });

  it("publishes a failed enqueue's public form (name filtered, message redacted) and rejects with what was thrown", async () => {
    const { traceEnqueue } = await import("../src/kit/index.ts");
    const seen = listen();
    const thrown = Object.assign(new Error(`refused ${EMAIL} with Bearer sk_live_0123456789`), {
      name: EMAIL,
    });
    const enqueue = {
      event: "createUser",
      dispatchId: "d-2",
      recipe: "bullmq",
      recipes: ["slack"],
      queue: "q",
    } as const;
    await expect(traceEnqueue(enqueue, async () => Promise.reject(thrown))).rejects.toBe(thrown);
    // A synchronous throw from the host's function is published and rethrown the same way.
    await expect(
      traceEnqueue(enqueue, () => {
        throw thrown;
      }),
    ).rejects.toBe(thrown);
    const errors = seen.filter(([channel, phase]) => channel === "enqueue" && phase === "error");
    expect(errors).toHaveLength(2);
    for (const [, , context] of errors) {
      const error = context.error as Error;
      expect(error).not.toBe(thrown);
      expect(error.name).toBe("Error");
      expect(error.message).toBe("refused [redacted] with Bearer [redacted]");
    }
    expect(
      JSON.stringify(seen.map(([, , context]) => ({ ...context, error: String(context.error) }))),
    ).not.toContain(EMAIL);
  });
});
