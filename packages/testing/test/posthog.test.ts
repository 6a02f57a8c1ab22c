import { gzipSync } from "node:zlib";
import { PostHog } from "posthog-node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type PostHogEmulator, startPostHogApi } from "../src/index.ts";

const clients: PostHog[] = [];

// No SDK retries and a short request timeout unless a test says otherwise.
function client(emulator: PostHogEmulator, options: Record<string, unknown> = {}): PostHog {
  const posthog = new PostHog(emulator.apiKey, {
    ...emulator.clientOptions,
    fetchRetryCount: 0,
    requestTimeout: 1000,
    ...options,
  });
  clients.push(posthog);
  return posthog;
}

/** Runs an immediate call and reports the SDK's `error` event, where it puts a failed delivery. */
async function immediate(posthog: PostHog, call: () => Promise<void>): Promise<unknown> {
  let failure: unknown;
  const off = posthog.on("error", (error: unknown) => {
    failure = error;
  });
  try {
    await call();
  } finally {
    off();
  }
  return failure;
}

async function post(emulator: PostHogEmulator, body: string | Uint8Array, headers = {}) {
  const response = await fetch(`${emulator.url}/batch/`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: body as BodyInit,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("startPostHogApi", () => {
  let emulator: PostHogEmulator;
  beforeAll(async () => {
    emulator = await startPostHogApi();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((posthog) => posthog.shutdown(100)));
    emulator.reset();
  });
  afterAll(() => emulator.close());

  it("accepts posthog-node's immediate calls, gzipped, with their uuids", async () => {
    const posthog = client(emulator);
    const uuid = "0191c9a4-5a2b-5c3d-8e4f-0123456789ab";
    const failure = await immediate(posthog, () =>
      posthog.captureImmediate({
        distinctId: "u1",
        event: "user signed in",
        properties: { provider: "github" },
        uuid,
      }),
    );
    expect(failure).toBeUndefined();
    await posthog.identifyImmediate({ distinctId: "u1", properties: { email: "a@x.test" } });
    expect(emulator.batches.map((batch) => batch.gzip)).toEqual([true, true]);
    expect(emulator.events).toMatchObject([
      { event: "user signed in", distinct_id: "u1", uuid, properties: { provider: "github" } },
      { event: "$identify", distinct_id: "u1", properties: { $set: { email: "a@x.test" } } },
    ]);
  });

  it("accepts the SDK's queued batches", async () => {
    const posthog = client(emulator, { flushAt: 1, disableCompression: true });
    posthog.capture({ distinctId: "u2", event: "one" });
    posthog.capture({ distinctId: "u2", event: "two" });
    await posthog.flush();
    expect(emulator.events.map((event) => event.event).sort()).toEqual(["one", "two"]);
    expect(emulator.batches.every((batch) => !batch.gzip)).toBe(true);
  });

  it("refuses a wrong project key with 401 and PostHog's error shape", async () => {
    const posthog = new PostHog("phc_wrong", { ...emulator.clientOptions, fetchRetryCount: 0 });
    clients.push(posthog);
    const failure = await immediate(posthog, () =>
      posthog.captureImmediate({ distinctId: "u1", event: "x" }),
    );
    expect((failure as { status?: number }).status).toBe(401);
    expect(emulator.events).toEqual([]);
    const raw = await post(emulator, JSON.stringify({ api_key: "nope", batch: [] }));
    expect(raw).toMatchObject({
      status: 401,
      body: { type: "authentication_error", code: "invalid_project_key" },
    });
  });

  it("refuses invalid batches whole with 400", async () => {
    const key = emulator.apiKey;
    const cases = [
      "not json",
      JSON.stringify([]),
      JSON.stringify({ api_key: key, batch: "x" }),
      JSON.stringify({ api_key: key, batch: [{ event: "ok", distinct_id: "u" }, { event: "x" }] }),
      JSON.stringify({ api_key: key, batch: [{ distinct_id: "u" }] }),
      JSON.stringify({ api_key: key, batch: [{ event: "x", distinct_id: "u", properties: [] }] }),
    ];
    for (const body of cases) {
      const answer = await post(emulator, body);
      expect(answer.status, body).toBe(400);
      expect(answer.body.type).toBe("validation_error");
    }
    const garbled = await post(emulator, Buffer.from("not gzip"), { "content-encoding": "gzip" });
    expect(garbled.status).toBe(400);
    expect(emulator.events).toEqual([]);
  });

  it("answers { status: 1 } and reads a gzipped body", async () => {
    const body = gzipSync(
      JSON.stringify({ api_key: emulator.apiKey, batch: [{ event: "e", distinct_id: 7 }] }),
    );
    expect(await post(emulator, body, { "content-encoding": "gzip" })).toEqual({
      status: 200,
      body: { status: 1 },
    });
    expect(emulator.events).toMatchObject([{ event: "e", distinct_id: 7 }]);
  });

  it("fails with 5xx and 429, and counts duplicates by uuid", async () => {
    const posthog = client(emulator);
    emulator.fail({ status: 503 });
    const uuid = "0191c9a4-5a2b-5c3d-8e4f-0123456789ab";
    const send = () => posthog.captureImmediate({ distinctId: "u1", event: "e", uuid });
    expect(((await immediate(posthog, send)) as { status?: number }).status).toBe(503);
    emulator.fail({ status: 429, headers: { "retry-after": "2" } });
    expect(((await immediate(posthog, send)) as { status?: number }).status).toBe(429);
    expect(emulator.events).toEqual([]);
    expect(await immediate(posthog, send)).toBeUndefined();
    expect(await immediate(posthog, send)).toBeUndefined();
    expect(emulator.events).toHaveLength(2);
    expect(emulator.uniqueEvents()).toHaveLength(1);
    expect(emulator.duplicates).toBe(1);
  });

  it("drops the answer after storing the events", async () => {
    const posthog = client(emulator);
    emulator.dropAfterStoring();
    const failure = await immediate(posthog, () =>
      posthog.captureImmediate({ distinctId: "u1", event: "kept" }),
    );
    expect((failure as Error).name).toBe("PostHogFetchNetworkError");
    expect(emulator.events).toMatchObject([{ event: "kept" }]);
    expect(
      await immediate(posthog, () => posthog.captureImmediate({ distinctId: "u1", event: "next" })),
    ).toBeUndefined();
  });

  it("hangs one request among prompt ones, and hang() every one", async () => {
    const posthog = client(emulator, { requestTimeout: 5000 });
    emulator.hangNext();
    const hung = immediate(posthog, () =>
      posthog.captureImmediate({ distinctId: "u1", event: "hung" }),
    );
    await expect.poll(() => emulator.requests.length).toBe(1);
    const started = performance.now();
    await immediate(posthog, () => posthog.captureImmediate({ distinctId: "u1", event: "prompt" }));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(emulator.events.map((event) => event.event)).toEqual(["prompt"]);
    emulator.reset();
    expect((await hung) as Error).toBeInstanceOf(Error);

    const quick = client(emulator, { requestTimeout: 300 });
    emulator.hang();
    const failure = await immediate(quick, () =>
      quick.captureImmediate({ distinctId: "u1", event: "hung" }),
    );
    expect((failure as Error).name).toBe("PostHogFetchNetworkError");
    expect(emulator.events).toEqual([]);
  });

  it("checks its counts", () => {
    expect(() => emulator.hangNext(-1)).toThrow(RangeError);
    expect(() => emulator.dropAfterStoring(Number.NaN)).toThrow(RangeError);
  });
});
