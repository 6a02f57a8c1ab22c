import { describe, expect, it } from "vitest";
import { EVENT_NAMES, isRetryable, skip } from "../src/index.ts";
import {
  backoffDelay,
  causeChain,
  checkOptions,
  configError,
  configRangeError,
  cutText,
  isNetworkError,
  messageOf,
  type RetryPolicy,
  requiredOption,
  resolveRoutes,
  runAttempt,
  UpstreamError,
  usableEmail,
  usableUserId,
  withRecipeOptions,
} from "../src/kit/index.ts";

const noop = async () => {};

describe("the kit's configuration errors", () => {
  it("are returned, prefixed with the package, as TypeError or RangeError", () => {
    expect(configError("slack", 'option "channel" must be a string')).toEqual(
      new TypeError('[auth-recipes/slack] option "channel" must be a string'),
    );
    expect(configError("slack", "x")).toBeInstanceOf(TypeError);
    const range = configRangeError("segment", 'option "maxQueue" must be positive');
    expect(range).toBeInstanceOf(RangeError);
    expect(range.message).toBe('[auth-recipes/segment] option "maxQueue" must be positive');
    const required = requiredOption("stripe", "stripe");
    expect(required).toBeInstanceOf(TypeError);
    expect(required.message).toBe('[auth-recipes/stripe] option "stripe" is required');
  });

  it("are what the subpath export serves, the same objects as the source", async () => {
    const kit = await import("@auth-recipes/core/kit");
    expect(kit.configError).toBe(configError);
    expect(Object.keys(kit).sort()).toEqual(
      [
        "ANALYTICS_EVENTS",
        "BatchDelivery",
        "UpstreamError",
        "analyticsMapping",
        "backoffDelay",
        "batchBefore",
        "batchInvariants",
        "batchTransition",
        "batchViolation",
        "causeChain",
        "checkOptions",
        "chosenEvents",
        "configError",
        "configRangeError",
        "cutText",
        "defaultOnError",
        "defaultTraits",
        "initialBatchState",
        "isNetworkError",
        "messageOf",
        "prefixed",
        "publicError",
        "redact",
        "refuseDelayed",
        "requiredOption",
        "resolveRoutes",
        "retryDelay",
        "runAttempt",
        "runHandler",
        "traceEnqueue",
        "usableEmail",
        "usableUserId",
        "withRecipeOptions",
      ].sort(),
    );
  });
});

describe("UpstreamError", () => {
  it("prefixes and redacts its message, keeps its fields, and hides the SDK error", () => {
    const sdk = Object.assign(new Error("card for victim@example.com declined"), {
      raw: { email: "victim@example.com" },
    });
    const error = new UpstreamError("stripe", `create failed: ${sdk.message}`, {
      retryable: false,
      status: 402,
      code: "card_declined",
      cause: sdk,
    });
    expect(error.message).toBe("[auth-recipes/stripe] create failed: card for [redacted] declined");
    expect(error).toMatchObject({
      name: "UpstreamError",
      retryable: false,
      status: 402,
      code: "card_declined",
    });
    expect(error.unsafeCause).toBe(sdk);
    expect(Object.keys(error)).not.toContain("unsafeCause");
    expect("cause" in error).toBe(false);
    expect(isRetryable(error)).toBe(false);
  });

  it("removes the secrets it is given, and a retryAfterMs and status make it retryable by status", () => {
    const writeKey = "wk_9f8e7d6c5b4a";
    const error = new UpstreamError("segment", `HTTP 429 ${writeKey} Too Many Requests`, {
      status: 429,
      retryAfterMs: 2000,
      secrets: [writeKey],
    });
    expect(error.message).toBe("[auth-recipes/segment] HTTP 429 [redacted] Too Many Requests");
    expect(error.retryAfterMs).toBe(2000);
    expect(isRetryable(error)).toBe(true);
  });
});

describe("isNetworkError", () => {
  it("finds a network code on the error or in its cause chain, and never throws", () => {
    const refused = Object.assign(new Error("connect"), { code: "ECONNREFUSED" });
    expect(isNetworkError(refused)).toBe(true);
    expect(isNetworkError(new TypeError("fetch failed", { cause: refused }))).toBe(true);
    expect(isNetworkError(Object.assign(new Error("x"), { code: "ESOCKET" }))).toBe(true);
    expect(isNetworkError(Object.assign(new Error("x"), { code: "EENVELOPE" }))).toBe(false);
    expect(isNetworkError(new Error("ECONNRESET in the message is not a code"))).toBe(false);
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error("trap");
        },
      },
    );
    expect(isNetworkError(hostile)).toBe(false);
    expect(isNetworkError(null)).toBe(false);
  });
});

describe("cutText", () => {
  const family = "👨‍👩‍👧‍👦";
  it("cuts on grapheme clusters, never inside an emoji sequence or before an accent", () => {
    expect(cutText(`ab${family}cd`, 3)).toBe(`ab${family}`);
    expect(cutText(`ab${family}cd`, 2)).toBe("ab");
    expect(cutText("e\u0301e\u0301e\u0301", 2)).toBe("e\u0301e\u0301");
    expect(cutText(`${"🇫🇷".repeat(5)}`, 2)).toBe("🇫🇷🇫🇷");
  });

  it("returns a text within budget as it is, and counts the ellipsis in the budget", () => {
    expect(cutText("short", 5)).toBe("short");
    expect(cutText(family.repeat(3), 3, "…")).toBe(family.repeat(3));
    expect(cutText("abcdef", 4, "…")).toBe("abc…");
    expect(cutText(`${family}${family}${family}`, 2, "…")).toBe(`${family}…`);
  });

  it("reads only a window of a long text: a megabyte name is cut as fast as a short one", () => {
    const text = "x".repeat(1_000_000);
    const started = performance.now();
    expect(cutText(text, 64)).toBe("x".repeat(64));
    // Generous: ICU segments the whole megabyte in about 170 ms here, the window in well under 1 ms.
    expect(performance.now() - started).toBeLessThan(50);
  });

  it("keeps whole graphemes of a text whose graphemes are longer than its window", () => {
    const stacked = `a${"\u0301".repeat(40)}`;
    expect(cutText(stacked.repeat(5), 2)).toBe(stacked.repeat(2));
    expect(cutText(stacked.repeat(5), 3, "…")).toBe(`${stacked.repeat(2)}…`);
    const tall = `a${"\u0301".repeat(100)}`;
    expect(cutText(`ab${tall}`, 4)).toBe(`ab${tall}`);
    // More code units per grapheme than the window allows: whole graphemes only, even if none.
    expect(cutText(`ab${tall.repeat(3)}`, 2)).toBe("ab");
    expect(cutText(tall.repeat(3), 2)).toBe("");
  });
});

describe("usableEmail and usableUserId", () => {
  it.each([
    "ada@example.com",
    "o'brien@example.co.uk",
    "ada+tag@sub.example.com",
    "josé@exämple.com",
  ])("accepts %s", (email) => {
    expect(usableEmail(email)).toBe(email);
  });

  it.each([
    ["a zero-width space", "ada\u200b@example.com"],
    ["a right-to-left override", "ada\u202e@example.com"],
    ["a byte order mark", "\ufeffada@example.com"],
    ["a soft hyphen", "ada\u00ad@example.com"],
    ["a space", "ada lovelace@example.com"],
    ["a leading space", " ada@example.com"],
    ["a CR/LF", "ada@example.com\r\nBcc: all@example.com"],
    ["a line separator", "ada@example.com\u2028"],
    ["a tab", "ada@ex\tample.com"],
    ["two addresses", "ada@example.com,bob@example.com"],
    ["a semicolon", "ada@example.com;bob@example.com"],
    ["angle brackets", "Ada <ada@example.com>"],
    ["a double quote", '"ada"@example.com'],
    ["a colon", "mailto:ada@example.com"],
    ["no @", "ada.example.com"],
    ["two @", "ada@bob@example.com"],
    ["no dot in the domain", "ada@localhost"],
    ["an empty local part", "@example.com"],
    ["an over-long address", `${"a".repeat(250)}@example.com`],
  ])("refuses an address with %s", (_label, email) => {
    expect(usableEmail(email)).toBeUndefined();
  });

  it("refuses anything but a string", () => {
    for (const value of [undefined, null, 42, {}, ["ada@example.com"]])
      expect(usableEmail(value)).toBeUndefined();
  });

  it("accepts ids as strings or safe integers, and refuses blank, invisible and over-long ones", () => {
    expect(usableUserId("u_123")).toBe("u_123");
    expect(usableUserId(42)).toBe("42");
    for (const value of [
      "",
      "   ",
      "u\n1",
      "u\u202e1",
      "u\u200b",
      "x".repeat(257),
      1.5,
      NaN,
      {},
      null,
    ])
      expect(usableUserId(value)).toBeUndefined();
  });
});

describe("resolveRoutes", () => {
  it("makes one route per handler, per event in next-auth's order, with the policies that apply", () => {
    const plain = { signIn: noop };
    const routes = resolveRoutes(
      [
        {
          name: "a",
          timeoutMs: 50,
          retry: { retries: 1 },
          events: { createUser: noop, session: undefined },
        },
        false,
        plain,
      ],
      { timeoutMs: 2000 },
    );
    expect(Object.keys(routes)).toEqual([...EVENT_NAMES]);
    expect(routes.session).toEqual([]);
    expect(routes.createUser).toHaveLength(1);
    expect(routes.createUser[0]).toMatchObject({ recipe: "a", event: "createUser", timeoutMs: 50 });
    expect(routes.createUser[0]!.retry).toMatchObject({
      retries: 1,
      minDelayMs: 100,
      maxDelayMs: 5000,
    });
    expect(routes.signIn[0]).toMatchObject({
      recipe: "events[2]",
      event: "signIn",
      timeoutMs: 2000,
      retry: undefined,
    });
    expect(resolveRoutes([{ name: "b", events: { signOut: noop } }]).signOut[0]!.timeoutMs).toBe(
      10_000,
    );
  });

  it("throws compose's configuration errors", () => {
    expect(() =>
      resolveRoutes([{ name: "m", events: { createdUser: noop } as never }]),
    ).toThrowError(/\[auth-recipes\/core\] recipe "m" has an unknown event "createdUser"/);
    expect(() => resolveRoutes([{ name: "m", events: { toString: noop } as never }])).toThrowError(
      /unknown event "toString"/,
    );
    expect(() => resolveRoutes([], { timeoutMs: -1 })).toThrowError(
      new RangeError(
        '[auth-recipes/core] option "timeoutMs" must be a positive number or Infinity',
      ),
    );
    expect(() => resolveRoutes("x" as never)).toThrowError(TypeError);
  });
});

describe("runAttempt", () => {
  const route = (handler: (message: unknown, context: never) => unknown, timeoutMs = 1000) =>
    resolveRoutes([{ name: "r", timeoutMs, events: { createUser: handler as never } }])
      .createUser[0]!;

  it("runs one attempt with the given attempt and dispatch id, and a deadline and signal", async () => {
    const seen: unknown[] = [];
    const before = Date.now();
    const outcome = await runAttempt(
      route((message, context) => void seen.push(message, context)),
      { user: { id: "u1" } },
      { attempt: 3, dispatchId: "job-1" },
    );
    expect(outcome).toMatchObject({ status: "fulfilled", timedOut: false });
    expect(outcome.durationMs).toBeGreaterThanOrEqual(0);
    expect(seen[0]).toEqual({ user: { id: "u1" } });
    const context = seen[1] as {
      attempt: number;
      dispatchId: string;
      deadline: number;
      signal: AbortSignal;
      recipe: string;
      event: string;
    };
    expect(context).toMatchObject({
      attempt: 3,
      dispatchId: "job-1",
      recipe: "r",
      event: "createUser",
    });
    expect(context.deadline - before).toBeGreaterThanOrEqual(990);
    expect(context.signal.aborted).toBe(false);
  });

  it("contains a throw, a rejection, a skip and a timeout, and never rejects", async () => {
    const thrown = { code: 42 };
    const options = { attempt: 1, dispatchId: "d" };
    await expect(
      runAttempt(
        route(() => {
          throw thrown;
        }),
        {},
        options,
      ),
    ).resolves.toMatchObject({ status: "rejected", error: thrown, timedOut: false });
    await expect(
      runAttempt(
        route(() => Promise.reject(7)),
        {},
        options,
      ),
    ).resolves.toMatchObject({
      status: "rejected",
      error: 7,
    });
    await expect(
      runAttempt(
        route(() => skip("no email")),
        {},
        options,
      ),
    ).resolves.toMatchObject({
      status: "skipped",
      reason: "no email",
    });
    let signal: AbortSignal | undefined;
    const outcome = await runAttempt(
      route((_m, context: { signal: AbortSignal }) => {
        signal = context.signal;
        return new Promise(() => {});
      }, 30),
      {},
      options,
    );
    expect(outcome).toMatchObject({ status: "rejected", timedOut: true });
    expect((outcome.error as Error).name).toBe("TimeoutError");
    expect(signal?.aborted).toBe(true);
  });
});

describe("backoffDelay", () => {
  const policy: RetryPolicy = {
    retries: 3,
    minDelayMs: 100,
    maxDelayMs: 1000,
    factor: 2,
    jitter: false,
    retryIf: () => true,
  };
  it("grows exponentially up to maxDelayMs", () => {
    expect([1, 2, 3, 4, 5].map((attempt) => backoffDelay(policy, attempt))).toEqual([
      100, 200, 400, 800, 1000,
    ]);
  });

  it("waits at least what the error asks for, even past maxDelayMs (never sooner than asked), and ignores nonsense", () => {
    expect(backoffDelay(policy, 1, { retryAfterMs: 600 })).toBe(600);
    expect(backoffDelay(policy, 3, { retryAfterMs: 50 })).toBe(400);
    expect(backoffDelay(policy, 1, { retryAfterMs: 60_000 })).toBe(60_000);
    expect(backoffDelay({ ...policy, jitter: true }, 1, { retryAfterMs: 600 })).toBe(600);
    for (const error of [
      { retryAfterMs: "600" },
      { retryAfterMs: -5 },
      { retryAfterMs: NaN },
      null,
      3,
    ])
      expect(backoffDelay(policy, 1, error)).toBe(100);
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error("trap");
        },
      },
    );
    expect(backoffDelay(policy, 2, hostile)).toBe(200);
  });
});

describe("the kit's recipe skeleton", () => {
  const spec = {
    client: { required: true, test: (c: unknown) => typeof c === "function", is: "a client" },
    channel: { required: true, type: "string" },
    includeEmail: "boolean",
    maxLength: { type: "number", range: [(n: number) => n > 0, "a positive number"] },
  } as const;
  const ok = { client: () => {}, channel: "#signups" };

  it("gives one message per kind of mistake, prefixed, as TypeError or RangeError", () => {
    for (const options of [undefined, null, "x", 42]) {
      expect(() => checkOptions("slack", "slackNotify", options, spec)).toThrowError(
        new TypeError("[auth-recipes/slack] options must be an object: { client, channel }"),
      );
    }
    for (const client of [undefined, null, ""]) {
      expect(() => checkOptions("slack", "slackNotify", { ...ok, client }, spec)).toThrowError(
        new TypeError('[auth-recipes/slack] option "client" is required'),
      );
    }
    expect(() => checkOptions("slack", "slackNotify", { ...ok, client: {} }, spec)).toThrowError(
      new TypeError('[auth-recipes/slack] option "client" must be a client'),
    );
    expect(() => checkOptions("slack", "slackNotify", { ...ok, channel: 42 }, spec)).toThrowError(
      new TypeError('[auth-recipes/slack] option "channel" must be a string'),
    );
    // Only `undefined` means the default of an optional option: `null` is a mistake.
    expect(() =>
      checkOptions("slack", "slackNotify", { ...ok, includeEmail: null }, spec),
    ).toThrowError(new TypeError('[auth-recipes/slack] option "includeEmail" must be a boolean'));
    expect(() =>
      checkOptions("slack", "slackNotify", { ...ok, maxLength: "5" }, spec),
    ).toThrowError(new TypeError('[auth-recipes/slack] option "maxLength" must be a number'));
    expect(() => checkOptions("slack", "slackNotify", { ...ok, maxLength: 0 }, spec)).toThrowError(
      new RangeError('[auth-recipes/slack] option "maxLength" must be a positive number'),
    );
    expect(() => checkOptions("x", "x", { o: null }, { o: "object" })).toThrowError(
      new TypeError('[auth-recipes/x] option "o" must be an object'),
    );
  });

  it("accepts valid options, absent optional ones, and the timeoutMs and retry every recipe takes", () => {
    expect(() => checkOptions("slack", "slackNotify", ok, spec)).not.toThrow();
    expect(() =>
      checkOptions(
        "slack",
        "slackNotify",
        { ...ok, includeEmail: false, maxLength: 3, timeoutMs: 5, retry: true },
        spec,
      ),
    ).not.toThrow();
  });

  it("refuses a key that is no option (a typo, an old name) rather than ignoring it", () => {
    expect(() => checkOptions("slack", "slackNotify", { ...ok, chanel: "#x" }, spec)).toThrowError(
      new TypeError(
        '[auth-recipes/slack] option "chanel" is not an option of slackNotify; the options are client, channel, includeEmail, maxLength, timeoutMs, retry',
      ),
    );
    // A huge key is cut in the message.
    const huge = "k".repeat(10_000);
    expect(() => checkOptions("slack", "slackNotify", { ...ok, [huge]: 1 }, spec)).toThrowError(
      `option "${"k".repeat(64)}…" is not an option of slackNotify`,
    );
    // Listing keys runs no getter: a key whose getter throws is still named, not thrown from.
    const trap = Object.defineProperty({ ...ok }, "stripe", {
      enumerable: true,
      get() {
        throw new Error("getter ran");
      },
    });
    expect(() => checkOptions("slack", "slackNotify", trap, spec)).toThrowError(
      'option "stripe" is not an option of slackNotify',
    );
    // An empty rule lists an option the recipe checks itself.
    expect(() => checkOptions("x", "x", { on: 1 }, { on: {} })).not.toThrow();
  });

  it("sets timeoutMs and retry only when given, 0 and false included", () => {
    const events = {};
    expect(withRecipeOptions({ name: "r", events }, {})).toEqual({ name: "r", events });
    expect(Object.keys(withRecipeOptions({ name: "r", events }, { timeoutMs: undefined }))).toEqual(
      ["name", "events"],
    );
    expect(withRecipeOptions({ name: "r", events }, { timeoutMs: 0, retry: false })).toEqual({
      name: "r",
      events,
      timeoutMs: 0,
      retry: false,
    });
  });

  it("reads the message of any thrown value without throwing", () => {
    expect(messageOf(new Error("boom"))).toBe("boom");
    expect(messageOf("plain")).toBe("plain");
    expect(messageOf(undefined)).toBe("undefined");
    expect(messageOf(Object.create(null))).toBe("(unprintable)");
    const hostile = new Proxy(new Error("x"), {
      get() {
        throw new Error("trap");
      },
    });
    expect(messageOf(hostile)).toBe("(unprintable)");
  });

  it("walks a cause chain, bounded, stopping at a getter that throws", () => {
    const inner = { code: "ECONNREFUSED" };
    const outer = new Error("fetch failed", { cause: inner });
    expect(causeChain(outer)).toEqual([outer, inner]);
    expect(causeChain("text")).toEqual([]);
    const loop: { cause?: unknown } = {};
    loop.cause = loop;
    expect(causeChain(loop)).toHaveLength(5);
    const trap = {
      get cause(): unknown {
        throw new Error("trap");
      },
    };
    expect(causeChain(trap)).toEqual([trap]);
  });
});
