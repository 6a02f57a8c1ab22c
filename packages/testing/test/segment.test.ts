import { Analytics, type AnalyticsSettings, type Context } from "@segment/analytics-node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type SegmentEmulator, startSegmentApi } from "../src/index.ts";

// Clients made by a test, ended after it so no batch timer outlives it.
const clients: Analytics[] = [];

// One message per batch, no retries and a short request timeout unless a test says otherwise: the SDK's
// defaults (batches of 15, a 10 s interval, 10 retries with 1-2 s backoff) would make every test slow.
function client(
  emulator: SegmentEmulator,
  settings: Partial<AnalyticsSettings> = {},
  endAfterTest = true,
): Analytics {
  const analytics = new Analytics({
    writeKey: emulator.writeKey,
    ...emulator.clientOptions,
    flushAt: 1,
    maxRetries: 0,
    httpRequestTimeout: 1000,
    ...settings,
  });
  if (endAfterTest) clients.push(analytics);
  return analytics;
}

interface Outcome {
  error: unknown;
  ctx: Context | undefined;
  /** From the call to its callback, in ms. */
  elapsedMs: number;
}

/** Makes one call and waits for its callback: the only way the SDK reports how delivery went. */
function deliver(
  call: (callback: (error: unknown, ctx?: Context) => void) => void,
): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    call((error, ctx) => resolve({ error, ctx, elapsedMs: performance.now() - started }));
  });
}

/**
 * The next `error` event, where delivery failures go besides the callback. The SDK emits it after the
 * callback has run, so a test awaits it rather than reading it at callback time.
 */
function nextError(analytics: Analytics): Promise<{ code: string; reason?: unknown }> {
  return new Promise((resolve) => analytics.once("error", resolve));
}

/** Posts a raw body, to reach what the SDK refuses to send. */
async function post(
  emulator: SegmentEmulator,
  body: unknown,
  headers: Record<string, string> = { authorization: basic(emulator.writeKey) },
  path = "/v1/batch",
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${emulator.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function basic(writeKey: string): string {
  return `Basic ${Buffer.from(`${writeKey}:`).toString("base64")}`;
}

async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error("condition not met in time");
    await new Promise((wake) => setTimeout(wake, 5));
  }
}

let segment: SegmentEmulator;
beforeAll(async () => {
  segment = await startSegmentApi({ writeKey: "wk_test_segment" });
});
afterAll(() => segment.close());
afterEach(async () => {
  await segment.up(); // after a test that failed while the emulator was down
  await Promise.all(
    clients.splice(0).map((analytics) => analytics.closeAndFlush({ timeout: 500 })),
  );
  segment.reset();
});

describe("startSegmentApi: POST /v1/batch with the real @segment/analytics-node", () => {
  it("records the batch and its messages as the SDK sent them", async () => {
    const analytics = client(segment, { flushAt: 2 });
    const [identified, tracked] = await Promise.all([
      deliver((done) =>
        analytics.identify({ userId: "u1", traits: { email: "alice@example.test" } }, done),
      ),
      deliver((done) =>
        analytics.track(
          { userId: "u1", event: "Signed In", properties: { provider: "github" } },
          done,
        ),
      ),
    ]);
    expect(identified.error).toBeUndefined();
    expect(tracked.error).toBeUndefined();
    // flushAt: 2 puts both calls in one request.
    expect(segment.requests).toHaveLength(1);
    expect(segment.requests[0]?.headers.authorization).toBe(basic("wk_test_segment"));
    expect(segment.batches).toHaveLength(1);
    expect(segment.batches[0]).toMatchObject({ retryCount: 0, sentAt: expect.any(String) });
    expect(segment.messages).toEqual(segment.batches[0]?.messages);
    expect(segment.messages).toMatchObject([
      { type: "identify", userId: "u1", traits: { email: "alice@example.test" } },
      { type: "track", userId: "u1", event: "Signed In", properties: { provider: "github" } },
    ]);
    expect(segment.messages[0]?.messageId).toEqual(expect.any(String));
    expect(segment.messages[0]?.context).toMatchObject({
      library: { name: "@segment/analytics-node" },
    });
  });

  it("exposes the write key and the client options that point the SDK at it", () => {
    expect(segment.writeKey).toBe("wk_test_segment");
    expect(segment.clientOptions).toEqual({ host: segment.url, path: "/v1/batch" });
    expect(segment.url).toBe(`http://127.0.0.1:${segment.port}`);
  });

  it("records page, screen, group and alias calls too", async () => {
    const analytics = client(segment, { flushAt: 4 });
    const outcomes = await Promise.all([
      deliver((done) => analytics.page({ anonymousId: "a1", name: "Home" }, done)),
      deliver((done) => analytics.screen({ userId: "u1", name: "Settings" }, done)),
      deliver((done) => analytics.group({ userId: "u1", groupId: "g1", traits: {} }, done)),
      deliver((done) => analytics.alias({ userId: "u1", previousId: "a1" }, done)),
    ]);
    expect(outcomes.map((outcome) => outcome.error)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(segment.messages.map((message) => message.type)).toEqual([
      "page",
      "screen",
      "group",
      "alias",
    ]);
  });

  it("calls back no sooner than about 300 ms, even when delivery took a few ms", async () => {
    const analytics = client(segment);
    const outcome = await deliver((done) => analytics.track({ userId: "u1", event: "E" }, done));
    expect(outcome.error).toBeUndefined();
    expect(segment.requests[0]!.receivedAt).toBeGreaterThan(0);
    expect(outcome.elapsedMs).toBeGreaterThanOrEqual(290);
  });

  it("refuses a wrong write key with 401: the SDK reports it to the callback and the error event, never throws", async () => {
    const analytics = client(segment, { writeKey: "wk_wrong" });
    const error = nextError(analytics);
    const outcome = await deliver((done) => analytics.track({ userId: "u1", event: "E" }, done));
    expect(String((outcome.error as Error).message)).toContain("[401]");
    expect(await error).toMatchObject({ code: "delivery_failure" });
    // 401 is not retried, even with retries allowed by default.
    expect(segment.requests).toHaveLength(1);
    expect(segment.messages).toEqual([]);
  });

  it("reads the write key from the body when there is no Authorization header", async () => {
    const message = { type: "track", userId: "u1", event: "E", messageId: "m1" };
    expect(await post(segment, { batch: [message], writeKey: "wk_test_segment" }, {})).toEqual({
      status: 200,
      body: { success: true },
    });
    expect((await post(segment, { batch: [message], writeKey: "wk_other" }, {})).status).toBe(401);
    expect((await post(segment, { batch: [message] }, {})).status).toBe(401);
    // A header wins over the body.
    const wrongHeader = { authorization: basic("wk_other") };
    expect(
      (await post(segment, { batch: [message], writeKey: "wk_test_segment" }, wrongHeader)).status,
    ).toBe(401);
    expect((await post(segment, { batch: [message] }, { authorization: "Bearer x" })).status).toBe(
      401,
    );
    expect(segment.messages).toHaveLength(1);
  });

  it("refuses the whole batch with 400 when one message is invalid", async () => {
    const valid = { type: "identify", userId: "u1", traits: {} };
    const invalid = [
      [{ type: "purchase", userId: "u1" }, "unknown type"],
      [{ type: "track", event: "E" }, "userId or an anonymousId"],
      [{ type: "track", userId: "", event: "E" }, "userId or an anonymousId"],
      [{ type: "track", userId: "u1" }, "without an event name"],
      [{ type: "track", userId: "u1", event: "" }, "without an event name"],
      [{ type: "group", userId: "u1" }, "groupId"],
      [{ type: "alias", userId: "u1" }, "previousId"],
      [{ type: "identify", userId: "u1", traits: "x" }, "traits must be an object"],
      [
        { type: "track", userId: "u1", event: "E", properties: { big: "x".repeat(33_000) } },
        "32 KB",
      ],
      ["not a message", "not an object"],
    ] as const;
    for (const [message, reason] of invalid) {
      const answer = await post(segment, { batch: [valid, message] });
      expect(answer.status, reason).toBe(400);
      expect(answer.body).toMatchObject({
        success: false,
        message: expect.stringContaining(reason),
      });
    }
    expect((await post(segment, "{not json")).status).toBe(400);
    expect((await post(segment, [valid])).status).toBe(400);
    expect((await post(segment, { batch: valid })).status).toBe(400);
    expect(segment.messages).toEqual([]);
    expect(segment.batches).toEqual([]);
    expect(segment.requests).toHaveLength(invalid.length + 3);
  });

  it("answers 404 off /v1/batch and 405 to other methods", async () => {
    expect((await post(segment, { batch: [] }, undefined, "/v1/track")).status).toBe(404);
    const get = await fetch(`${segment.url}/v1/batch`);
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
  });

  it("reports a 400 to the SDK as a delivery failure it does not retry", async () => {
    const analytics = client(segment, { maxRetries: 3 });
    segment.fail({ status: 400, body: { success: false, message: "bad" } });
    const outcome = await deliver((done) => analytics.track({ userId: "u1", event: "E" }, done));
    expect(String((outcome.error as Error).message)).toContain("[400]");
    expect(segment.requests).toHaveLength(1);
  });

  it("the SDK itself throws, synchronously, for a message Segment would refuse", () => {
    const analytics = client(segment);
    expect(() => analytics.track({ event: "E" } as never)).toThrow();
    expect(() => analytics.track({ userId: "u1" } as never)).toThrow();
    expect(segment.requests).toEqual([]);
  });
});

describe("startSegmentApi: deduplication by messageId", () => {
  it("counts two messages with one messageId once", async () => {
    const analytics = client(segment, { flushAt: 3 });
    await Promise.all([
      deliver((done) => analytics.track({ userId: "u1", event: "E", messageId: "m-1" }, done)),
      deliver((done) => analytics.track({ userId: "u1", event: "E", messageId: "m-1" }, done)),
      deliver((done) => analytics.track({ userId: "u1", event: "F", messageId: "m-2" }, done)),
    ]);
    expect(segment.messages).toHaveLength(3);
    expect(segment.uniqueMessages().map((message) => message.messageId)).toEqual(["m-1", "m-2"]);
    expect(segment.duplicates).toBe(1);
  });

  it("treats messages without a messageId as distinct", async () => {
    const message = { type: "track", userId: "u1", event: "E" };
    await post(segment, { batch: [message, message] });
    expect(segment.uniqueMessages()).toHaveLength(2);
    expect(segment.duplicates).toBe(0);
  });
});

describe("startSegmentApi: fault injection, as the SDK sees it", () => {
  it("fail(): a 500 goes to the callback and the error event once retries run out", async () => {
    const analytics = client(segment);
    const error = nextError(analytics);
    segment.fail({ times: 1, status: 503 });
    const outcome = await deliver((done) => analytics.track({ userId: "u1", event: "E" }, done));
    expect(String((outcome.error as Error).message)).toContain("[503]");
    expect(await error).toMatchObject({ code: "delivery_failure" });
    expect(segment.requests).toHaveLength(1);
    expect(segment.messages).toEqual([]);
    // The fault was for one request only.
    expect(
      (await deliver((done) => analytics.track({ userId: "u1", event: "E" }, done))).error,
    ).toBeUndefined();
    expect(segment.messages).toHaveLength(1);
  });

  it("delay(): answers late, and past the SDK's httpRequestTimeout the call fails", async () => {
    const analytics = client(segment, { httpRequestTimeout: 150 });
    segment.delay(80);
    const slow = await deliver((done) => analytics.track({ userId: "u1", event: "E" }, done));
    expect(slow.error).toBeUndefined();
    expect(segment.messages).toHaveLength(1);
    segment.delay(400);
    const late = await deliver((done) => analytics.track({ userId: "u1", event: "F" }, done));
    expect(late.error).toBeDefined();
    expect(late.elapsedMs).toBeLessThan(400);
  });

  it("hang(): the SDK gives up at its httpRequestTimeout and close() does not wait for the hung socket", async () => {
    const hung = await startSegmentApi();
    try {
      const analytics = client(hung, { httpRequestTimeout: 200 });
      hung.hang();
      const outcome = await deliver((done) => analytics.track({ userId: "u1", event: "E" }, done));
      expect(outcome.error).toBeDefined();
      expect(outcome.elapsedMs).toBeGreaterThanOrEqual(190);
      expect(hung.requests).toHaveLength(1);
      expect(hung.messages).toEqual([]);
      // A second request hangs too, and stays open while we close.
      analytics.track({ userId: "u1", event: "F" });
      await until(() => hung.requests.length === 2);
    } finally {
      const started = performance.now();
      await hung.close();
      expect(performance.now() - started).toBeLessThan(500);
    }
  });

  it("down() refuses connections (a network error to the SDK) and up() serves again on the same port", async () => {
    const analytics = client(segment);
    const error = nextError(analytics);
    await segment.down();
    const refused = await deliver((done) => analytics.track({ userId: "u1", event: "E" }, done));
    expect(refused.error).toBeDefined();
    expect(await error).toMatchObject({ code: "delivery_failure" });
    expect(segment.requests).toEqual([]);
    await segment.up();
    const served = await deliver((done) => analytics.track({ userId: "u1", event: "E" }, done));
    expect(served.error).toBeUndefined();
    expect(segment.messages).toHaveLength(1);
  });

  it("reset() forgets batches, messages, requests and faults", async () => {
    const analytics = client(segment);
    await deliver((done) => analytics.track({ userId: "u1", event: "E" }, done));
    segment.fail({ times: 5 });
    segment.reset();
    expect(segment.batches).toEqual([]);
    expect(segment.messages).toEqual([]);
    expect(segment.requests).toEqual([]);
    expect(
      (await deliver((done) => analytics.track({ userId: "u1", event: "E" }, done))).error,
    ).toBeUndefined();
  });
});

// Each of these waits out the SDK's own backoff (1-2 s per retry) or a Retry-After: they run side by
// side, each on its own emulator.
describe.concurrent("startSegmentApi: the SDK's retries", () => {
  it("a 500 then success: the SDK retries with X-Retry-Count and the message arrives once", async () => {
    const emulator = await startSegmentApi();
    const analytics = client(emulator, { maxRetries: 1 }, false);
    try {
      emulator.fail({ times: 1, status: 500 });
      const outcome = await deliver((done) => analytics.track({ userId: "u1", event: "E" }, done));
      expect(outcome.error).toBeUndefined();
      expect(emulator.requests).toHaveLength(2);
      expect(emulator.requests[1]?.headers["x-retry-count"]).toBe("1");
      expect(emulator.batches).toMatchObject([{ retryCount: 1 }]);
      expect(emulator.messages).toHaveLength(1);
    } finally {
      await analytics.closeAndFlush({ timeout: 500 });
      await emulator.close();
    }
  });

  it("a retried delivery whose first answer was lost reaches the emulator twice and counts once", async () => {
    const emulator = await startSegmentApi();
    const analytics = client(emulator, { maxRetries: 1, httpRequestTimeout: 150 }, false);
    try {
      // The first attempt is processed but answered after the SDK gave up on it.
      emulator.delay(300);
      const outcome = deliver((done) => analytics.track({ userId: "u1", event: "E" }, done));
      await until(() => emulator.requests.length === 1);
      emulator.delay(0);
      expect((await outcome).error).toBeUndefined();
      expect(emulator.requests).toHaveLength(2);
      expect(emulator.messages).toHaveLength(2);
      expect(emulator.messages[0]?.messageId).toBe(emulator.messages[1]?.messageId);
      expect(emulator.uniqueMessages()).toHaveLength(1);
      expect(emulator.duplicates).toBe(1);
    } finally {
      await analytics.closeAndFlush({ timeout: 500 });
      await emulator.close();
    }
  });

  it("a 429 with Retry-After: the SDK waits it out without spending a retry", async () => {
    const emulator = await startSegmentApi();
    const analytics = client(emulator, { maxRetries: 0 }, false);
    try {
      emulator.fail({ times: 1, status: 429, headers: { "retry-after": "1" } });
      const outcome = await deliver((done) => analytics.track({ userId: "u1", event: "E" }, done));
      expect(outcome.error).toBeUndefined();
      expect(emulator.requests).toHaveLength(2);
      expect(emulator.requests[1]!.receivedAt - emulator.requests[0]!.receivedAt).toBeGreaterThan(
        950,
      );
      expect(emulator.messages).toHaveLength(1);
    } finally {
      await analytics.closeAndFlush({ timeout: 500 });
      await emulator.close();
    }
  });
});

describe("startSegmentApi: options", () => {
  it("listens on the port it is given and refuses an empty write key", async () => {
    const probe = await startSegmentApi();
    const { port } = probe;
    await probe.close();
    const fixed = await startSegmentApi({ port, host: "127.0.0.1" });
    try {
      expect(fixed.port).toBe(port);
      expect(fixed.writeKey).toBe("emulated-segment-write-key");
      const analytics = client(fixed);
      expect(
        (await deliver((done) => analytics.track({ userId: "u1", event: "E" }, done))).error,
      ).toBeUndefined();
      expect(fixed.messages).toHaveLength(1);
    } finally {
      await fixed.close();
    }
    await expect(startSegmentApi({ writeKey: "" })).rejects.toThrow(TypeError);
  });
});
