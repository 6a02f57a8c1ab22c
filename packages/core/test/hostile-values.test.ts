// Whatever a handler throws, rejects with or resolves to, a composed callback resolves, onSettled is
// called once and nothing reaches process' unhandledRejection: the promises of DESIGN.md, for any value.
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { composeEvents, type DispatchReport, type RecipeError } from "../src/index.ts";

const SKIP = Symbol.for("auth-recipes.skip");
const trap = () => {
  throw new Error("trap");
};

function hostileValues(): Array<[string, () => unknown]> {
  return [
    [
      "an Error whose message is undefined",
      () => Object.assign(new Error("x"), { message: undefined }),
    ],
    ["an Error whose message is a number", () => Object.assign(new Error("x"), { message: 42 })],
    [
      "an Error whose message is an object",
      () => Object.assign(new Error("x"), { message: { a: 1 } }),
    ],
    [
      "an Error whose message's toString throws",
      () => Object.assign(new Error("x"), { message: { toString: trap } }),
    ],
    [
      "an Error whose message getter throws",
      () => Object.defineProperty(new Error("x"), "message", { get: trap }),
    ],
    [
      "an Error whose name and stack getters throw",
      () => Object.defineProperties(new Error("x"), { name: { get: trap }, stack: { get: trap } }),
    ],
    [
      "a revoked Proxy",
      () => {
        const { proxy, revoke } = Proxy.revocable({}, {});
        revoke();
        return proxy;
      },
    ],
    [
      "a Proxy whose every trap throws",
      () =>
        new Proxy(new Error("x"), {
          has: trap,
          get: trap,
          getPrototypeOf: trap,
          ownKeys: trap,
          getOwnPropertyDescriptor: trap,
        }),
    ],
    [
      "a Proxy that claims to be a skip and throws on get",
      () => new Proxy({}, { has: () => true, get: trap }),
    ],
    ["an object whose toString throws", () => ({ toString: trap })],
    ["an object without a prototype", () => Object.create(null)],
    ["a symbol", () => Symbol("boom")],
    ["undefined", () => undefined],
    ["null", () => null],
    ["a function whose toString throws", () => Object.assign(() => {}, { toString: trap })],
    [
      "an Error with a hostile cause",
      () => new Error("outer", { cause: new Proxy({}, { get: trap, has: trap }) }),
    ],
    [
      "an Error with a circular cause",
      () => {
        const error = new Error("loop") as Error & { cause?: unknown };
        error.cause = error;
        return error;
      },
    ],
    ["an Error with a 1 MB message", () => new Error("x".repeat(1_000_000))],
    // biome-ignore lint/suspicious/noThenProperty: a hostile thenable is the point of this case.
    ["a thenable whose then throws", () => ({ then: trap })],
    [
      "a thenable whose then getter throws",
      // biome-ignore lint/suspicious/noThenProperty: a hostile thenable is the point of this case.
      () => Object.defineProperty({}, "then", { get: trap }),
    ],
    ["a skip look-alike without the symbol", () => ({ skipped: true, reason: "x" })],
    [
      "a skip look-alike whose reason getter throws",
      () => Object.defineProperty({ [SKIP]: true }, "reason", { get: trap }),
    ],
    [
      "a skip look-alike whose reason is an object",
      () => ({ [SKIP]: true, reason: { toString: trap } }),
    ],
  ];
}

const PATHS = ["throw", "reject", "resolve"] as const;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);

beforeAll(() => void process.on("unhandledRejection", onUnhandled));
afterAll(() => void process.off("unhandledRejection", onUnhandled));

// Lets any unhandled rejection of the dispatch reach process' listener before it is checked.
const drain = () => new Promise((resolve) => setTimeout(resolve, 5));

describe.each(PATHS)("a handler that %ss", (path) => {
  it.each(hostileValues())(
    "%s: the callback resolves, onSettled once, nothing unhandled",
    async (_label, make) => {
      unhandled.length = 0;
      const reports: DispatchReport[] = [];
      const errors: RecipeError[] = [];
      // Cast: TypeScript would refuse these returns, JavaScript handlers can still make them.
      const handler = (() => {
        const value = make();
        if (path === "throw") throw value;
        if (path === "reject") return Promise.reject(value);
        return value;
      }) as () => void;
      for (const waitUntil of [
        undefined,
        (promise: Promise<unknown>) => void promise,
        async () => Promise.reject(new Error("waitUntil rejects")),
        () => {
          throw new Error("outside a request");
        },
      ]) {
        reports.length = 0;
        errors.length = 0;
        const events = composeEvents(
          [
            {
              name: "hostile",
              retry: { retries: 1, minDelayMs: 1 },
              events: { createUser: handler },
            },
            { name: "fine", events: { createUser: () => {} } },
          ],
          {
            onSettled: (report) => reports.push(report),
            onError: (error) => errors.push(error),
            ...(waitUntil ? { waitUntil } : {}),
          },
        );
        await expect(events.createUser!({ user: { id: "u1" } })).resolves.toBeUndefined();
        while (reports.length === 0) await drain();
        await drain();
        expect(reports).toHaveLength(1);
        const [hostile, fine] = reports[0]!.results;
        expect(fine!.status).toBe("fulfilled");
        expect(["fulfilled", "rejected", "skipped"]).toContain(hostile!.status);
        expect(errors).toHaveLength(hostile!.status === "rejected" ? 1 : 0);
        for (const error of errors) {
          // Whatever the cause, the error can be read and printed.
          expect(typeof error.message).toBe("string");
          expect(error.message.length).toBeLessThan(1200);
          expect(error.message).toMatch(
            /^recipe "hostile" failed on createUser after \d attempts?: /,
          );
          expect(() => String(error)).not.toThrow();
          expect(() => inspect(error, { depth: 4 })).not.toThrow();
          expect(error.cause).toBeInstanceOf(Error);
          expect(() => JSON.stringify(error)).not.toThrow();
        }
      }
      expect(unhandled).toEqual([]);
    },
  );
});

describe("statuses of hostile values", () => {
  it("a throw or rejection is a failure, a skip look-alike with the symbol is a skip, a resolved value is done", async () => {
    const statuses: Record<string, string> = {};
    const values = Object.fromEntries(hostileValues());
    const events = composeEvents(
      Object.entries(values).map(([name, make]) => ({
        name,
        events: { signIn: make as () => void },
      })),
      {
        onSettled: (report) => {
          for (const result of report.results) statuses[result.recipe] = result.status;
        },
        onError: () => {},
      },
    );
    await events.signIn!({ user: { id: "u1" } });
    expect(statuses["a skip look-alike whose reason getter throws"]).toBe("skipped");
    expect(statuses["a skip look-alike without the symbol"]).toBe("fulfilled");
    expect(statuses["a Proxy that claims to be a skip and throws on get"]).toBe("rejected");
    expect(statuses["a thenable whose then throws"]).toBe("rejected");
    expect(statuses.undefined).toBe("fulfilled");
  });
});
