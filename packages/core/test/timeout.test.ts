import { describe, expect, it } from "vitest";
import { composeEvents, type DispatchReport, type RecipeError } from "../src/index.ts";

const user = { id: "u1" };

describe("timeouts", () => {
  it("bounds each attempt, aborts its signal with a TimeoutError and does not wait for the handler", async () => {
    let signal: AbortSignal | undefined;
    const errors: RecipeError[] = [];
    const events = composeEvents(
      [
        {
          name: "hung",
          events: {
            createUser: (_message, context) => {
              signal = context.signal;
              return new Promise(() => {}); // never settles
            },
          },
        },
      ],
      { timeoutMs: 100, onError: (e) => errors.push(e) },
    );
    const t0 = performance.now();
    await events.createUser!({ user });
    const elapsed = performance.now() - t0;
    expect(elapsed).toBeGreaterThanOrEqual(95);
    // The handler never settles: only the timeout can end the call. Room for a busy machine.
    expect(elapsed).toBeLessThan(1000);
    expect(signal!.aborted).toBe(true);
    expect((signal!.reason as Error).name).toBe("TimeoutError");
    expect(errors).toHaveLength(1);
    expect(errors[0]!.timedOut).toBe(true);
    expect(errors[0]!.message).toBe(
      'recipe "hung" failed on createUser after 1 attempt: timed out after 100 ms',
    );
  });

  it("aborts a signal first read after the timeout, too", async () => {
    let late: AbortSignal | undefined;
    const events = composeEvents(
      [
        {
          name: "late",
          events: {
            createUser: async (_message, context) => {
              await new Promise((resolve) => setTimeout(resolve, 80));
              late = context.signal;
            },
          },
        },
      ],
      { timeoutMs: 30, onError: () => {} },
    );
    await events.createUser!({ user });
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(late?.aborted).toBe(true);
  });

  it("lets fetch see the abort: I/O given the signal stops at the timeout", async () => {
    const { createServer } = await import("node:http");
    const server = createServer(() => {}); // accepts, never answers
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    let fetchError: unknown;
    const events = composeEvents(
      [
        {
          name: "fetcher",
          events: {
            signIn: async (_message, { signal }) => {
              try {
                await fetch(`http://127.0.0.1:${port}/`, { signal });
              } catch (error) {
                fetchError = error;
                throw error;
              }
            },
          },
        },
      ],
      { timeoutMs: 100, onError: () => {} },
    );
    await events.signIn!({ user });
    await new Promise((resolve) => setTimeout(resolve, 20));
    server.closeAllConnections();
    server.close();
    expect((fetchError as Error).name).toBe("TimeoutError");
  });

  it("uses the recipe's own timeout over the option", async () => {
    const reports: DispatchReport[] = [];
    const hang = () => new Promise<void>(() => {});
    const events = composeEvents(
      [
        { name: "short", timeoutMs: 50, events: { signIn: hang } },
        { name: "long", events: { signIn: hang } },
      ],
      { timeoutMs: 200, onError: () => {}, onSettled: (r) => reports.push(r) },
    );
    await events.signIn!({ user });
    const [short, long] = reports[0]!.results;
    // Short stopped at its own 50 ms, well before the option's 200 ms that long waited out.
    expect(short!.durationMs).toBeLessThan(180);
    expect(long!.durationMs).toBeGreaterThanOrEqual(195);
  });

  it("defaults to 10 seconds", async () => {
    let deadline = 0;
    const events = composeEvents([
      {
        name: "a",
        events: {
          signIn: (_m, context) => {
            deadline = context.deadline;
          },
        },
      },
    ]);
    const now = Date.now();
    await events.signIn!({ user });
    expect(deadline - now).toBeGreaterThanOrEqual(9_990);
    expect(deadline - now).toBeLessThanOrEqual(10_100);
  });

  it("with Infinity sets no timer and an infinite deadline", async () => {
    let deadline = 0;
    const events = composeEvents(
      [
        {
          name: "a",
          events: {
            signIn: async (_m, context) => {
              deadline = context.deadline;
              await new Promise((resolve) => setTimeout(resolve, 30));
            },
          },
        },
      ],
      { timeoutMs: Infinity },
    );
    await events.signIn!({ user });
    expect(deadline).toBe(Infinity);
  });
});
