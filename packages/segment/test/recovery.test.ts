import { composeEvents, type DispatchReport, type RecipeError } from "@auth-recipes/core";
import { events as fixtures, type SegmentEmulator, startSegmentApi } from "@auth-recipes/testing";
import { Analytics, type AnalyticsSettings } from "@segment/analytics-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { segmentTracking } from "../src/index.ts";

// Segment's upstream hangs, is cut and recovers while sign-ups keep coming. The promise: a handler that
// timed out may be reported as failed, but every call it made reaches Segment once the upstream answers
// again, exactly once per messageId; and a hung request delays later sign-ups by at most one request
// timeout. Everything is counted at the emulator.

// One emulator per test: a client of an earlier test may still be retrying against its port.
let segment: SegmentEmulator;
beforeEach(async () => {
  segment = await startSegmentApi();
});
afterEach(() => segment.close());

const sleep = (ms: number) => new Promise((wake) => setTimeout(wake, ms));

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) return false;
    await sleep(10);
  }
  return true;
}

interface SignUp {
  userId: string;
  /** When createUser was called, in ms since the epoch. */
  at: number;
  /** The handler's outcome, once it settled. */
  settled: Promise<DispatchReport>;
}

/** One app: one client, the recipe composed as the README shows, every outcome recorded. */
function app(
  settings: Partial<AnalyticsSettings>,
  compose: { timeoutMs: number; waitUntil?: boolean },
) {
  const analytics = new Analytics({
    writeKey: segment.writeKey,
    ...segment.clientOptions,
    ...settings,
  });
  const recipe = segmentTracking({ analytics });
  const errors: RecipeError[] = [];
  const handedOver: Promise<unknown>[] = [];
  let serial = 0;
  const signUp = (): SignUp => {
    const userId = `user_${++serial}`;
    const at = Date.now();
    let reported!: (report: DispatchReport) => void;
    const settled = new Promise<DispatchReport>((resolve) => {
      reported = resolve;
    });
    // Composed per sign-up, on the one recipe and client, so that each report finds its sign-up.
    const events = composeEvents([recipe], {
      timeoutMs: compose.timeoutMs,
      ...(compose.waitUntil ? { waitUntil: (promise) => void handedOver.push(promise) } : {}),
      onError: (error) => void errors.push(error),
      onSettled: reported,
    });
    void events.createUser!(
      fixtures.createUser({
        id: userId,
        name: userId,
        email: `${userId}@example.test`,
        image: null,
        emailVerified: null,
      }),
    );
    return { userId, at, settled };
  };
  return { analytics, errors, signUp, handedOver };
}

/** What the emulator has for each sign-up: both calls, once, and when the later of the two arrived. */
function tally(signUps: SignUp[]) {
  const arrivedAt = new Map<string, number>();
  for (const batch of segment.batches) {
    for (const message of batch.messages) {
      arrivedAt.set(String(message.messageId), batch.receivedAt);
    }
  }
  let lost = 0;
  const waits: Record<string, number | "lost"> = {};
  for (const { userId, at } of signUps) {
    const mine = segment
      .uniqueMessages()
      .filter((message) => message.userId === userId)
      .map((message) => `${message.type}:${message.event ?? ""}`);
    const missing = 2 - new Set(mine).size;
    lost += missing;
    const ids = segment.messages
      .filter((message) => message.userId === userId)
      .map((message) => arrivedAt.get(String(message.messageId))!);
    waits[userId] = missing ? "lost" : Math.max(...ids) - at;
  }
  return { lost, duplicates: segment.duplicates, waits };
}

const everyCall = (signUps: SignUp[]) => () =>
  segment.uniqueMessages().length >= signUps.length * 2;

describe("segmentTracking: the upstream hangs, is cut and recovers", () => {
  it("with the SDK's defaults: every sign-up's identify and track arrive once, and the first after recovery is prompt", async () => {
    // The SDK's defaults: 10 retries, 10 s per request. Core bounds each attempt at 1 s.
    const { signUp } = app({}, { timeoutMs: 1000 });
    segment.hang();
    const signUps = [signUp()];
    await sleep(300);
    signUps.push(signUp());
    await sleep(300);
    signUps.push(signUp());
    await signUps[0]!.settled;
    await sleep(200);
    // The hung request is cut and the upstream answers again.
    await segment.down();
    await segment.up();
    const next = signUp();
    signUps.push(next);
    const nextReport = await next.settled;
    await until(everyCall(signUps), 5000);
    const figures = tally(signUps);
    console.info("segment recovery, SDK defaults:", JSON.stringify(figures));
    expect(figures.lost).toBe(0);
    expect(figures.duplicates).toBe(0);
    // The first sign-up after recovery settles well inside its timeout, with no error.
    expect(nextReport.results[0]?.status).toBe("fulfilled");
    expect(figures.waits[next.userId]).toBeLessThan(500);
  }, 15_000);

  it("with the README's serverless setup and two hung requests: nothing lost, later sign-ups wait at most one request timeout", async () => {
    // README: maxRetries 2, httpRequestTimeout 3 s; composeEvents with waitUntil and timeoutMs 5 s.
    const requestTimeoutMs = 3000;
    const { signUp, handedOver } = app(
      { maxRetries: 2, httpRequestTimeout: requestTimeoutMs },
      { timeoutMs: 5000, waitUntil: true },
    );
    segment.hang();
    const first = signUp();
    await sleep(1000);
    const duringFirst = signUp();
    // The second request to hang: then the upstream answers again, but that request stays hung until
    // the client's own timeout ends it.
    await until(() => segment.requests.length >= 2, 10_000);
    const hungAt = Date.now();
    await segment.up();
    await sleep(500);
    const duringSecond = signUp();
    await until(() => segment.uniqueMessages().length >= 2, 10_000);
    const recovered = signUp();
    const signUps = [first, duringFirst, duringSecond, recovered];
    await until(everyCall(signUps), 15_000);
    await Promise.all(handedOver);
    const figures = tally(signUps);
    console.info("segment recovery, README serverless setup:", JSON.stringify(figures));
    expect(figures.lost).toBe(0);
    expect(figures.duplicates).toBe(0);
    const wait = (s: SignUp) => figures.waits[s.userId] as number;
    // Made while the second hung request was in flight: out when it ends, within one request timeout.
    expect(wait(duringSecond)).toBeLessThan(requestTimeoutMs + 300);
    expect(Date.now() - hungAt).toBeGreaterThan(0);
    // Made while the first was: behind two hung requests, no more.
    expect(wait(duringFirst)).toBeLessThan(2 * requestTimeoutMs + 300);
    expect(wait(recovered)).toBeLessThan(500);
    expect((await recovered.settled).results[0]?.status).toBe("fulfilled");
  }, 30_000);

  it("with no SDK retries: the calls of a handler that timed out are sent again until the upstream is back", async () => {
    const { signUp } = app({ maxRetries: 0, httpRequestTimeout: 2000 }, { timeoutMs: 300 });
    segment.hang();
    const first = signUp();
    expect((await first.settled).results[0]).toMatchObject({
      status: "rejected",
      error: { timedOut: true },
    });
    // Cut, then refusing for a while: the SDK gives up on each copy at once; the queue does not.
    await segment.down();
    await sleep(700);
    expect(segment.uniqueMessages()).toEqual([]);
    await segment.up();
    expect(await until(everyCall([first]), 5000)).toBe(true);
    const figures = tally([first]);
    expect(figures).toMatchObject({ lost: 0, duplicates: 0 });
  }, 10_000);
});
