import { composeEvents, type RecipeInput } from "@auth-recipes/core";
import { posthogTracking } from "@auth-recipes/posthog";
import { segmentTracking } from "@auth-recipes/segment";
import {
  type Emulator,
  type PostHogEmulator,
  type SegmentEmulator,
  startPostHogApi,
  startSegmentApi,
} from "@auth-recipes/testing";
import { Analytics, type AnalyticsSettings } from "@segment/analytics-node";
import { PostHog } from "posthog-node";
import { benchUser } from "./services.ts";

/** One way of sending sign-ups, measured while another sign-up's request hangs. */
export interface HangLatencyRow {
  service: "segment" | "posthog";
  /** What sends: the recipe under composeEvents, or the SDK used by hand (no core). */
  how: string;
  /** How long each sign-up made `offsetsMs` into the hang took to settle, in ms (`null`: past the cap). */
  settledMs: Array<number | null>;
  /** Events of the four sign-ups (the hung one included) that never arrived, once the dust settled. */
  lost: number;
  /** Events that arrived more than once (counted by message id or uuid). */
  duplicated: number;
}

export interface HangLatencyResult {
  timeoutMs: number;
  offsetsMs: number[];
  capMs: number;
  rows: HangLatencyRow[];
}

const sleep = (ms: number) => new Promise((wake) => setTimeout(wake, ms));

/** A sign-up as each way sends it: resolves when the way considers it done. */
type SignUp = (userId: string) => Promise<unknown>;

interface Way<E extends Emulator> {
  service: HangLatencyRow["service"];
  how: string;
  start: () => Promise<E>;
  /** Makes the client and the sign-up function; `close` lets the client go. */
  make: (emulator: E, timeoutMs: number) => { signUp: SignUp; close: () => Promise<unknown> };
  /** What the emulator holds: unique events, and duplicates. */
  count: (emulator: E) => { unique: number; duplicates: number };
}

const README_SEGMENT: Partial<AnalyticsSettings> = { maxRetries: 2, httpRequestTimeout: 3000 };

function composed(recipe: RecipeInput, timeoutMs: number): SignUp {
  const events = composeEvents([recipe], { timeoutMs, onError: () => {} });
  return (userId) => events.createUser!({ user: benchUser(userId) } as never);
}

function segmentRecipe(how: string, settings: Partial<AnalyticsSettings>): Way<SegmentEmulator> {
  return {
    service: "segment",
    how,
    start: () => startSegmentApi(),
    make: (segment, timeoutMs) => {
      const analytics = new Analytics({
        writeKey: segment.writeKey,
        ...segment.clientOptions,
        ...settings,
      });
      return {
        signUp: composed(segmentTracking({ analytics }), timeoutMs),
        close: () => analytics.closeAndFlush({ timeout: 1000 }),
      };
    },
    count: (segment) => ({
      unique: segment.uniqueMessages().length,
      duplicates: segment.duplicates,
    }),
  };
}

const WAYS: Array<Way<SegmentEmulator> | Way<PostHogEmulator>> = [
  segmentRecipe("recipe, the README's client (flushAt: 1)", { ...README_SEGMENT, flushAt: 1 }),
  segmentRecipe("recipe, the SDK's batching (flushAt 15)", README_SEGMENT),
  {
    service: "segment",
    how: "SDK by hand: identify, track, flush()",
    start: () => startSegmentApi(),
    make: (segment) => {
      const analytics = new Analytics({
        writeKey: segment.writeKey,
        ...segment.clientOptions,
        ...README_SEGMENT,
      });
      return {
        // What a hand-written createUser does: both calls, a flush, and wait for their callbacks.
        signUp: (userId) => {
          const done = Promise.all([
            new Promise((resolve) =>
              analytics.identify({ userId, traits: { name: userId } }, resolve),
            ),
            new Promise((resolve) => analytics.track({ userId, event: "Signed Up" }, resolve)),
          ]);
          void analytics.flush().catch(() => {});
          return done;
        },
        close: () => analytics.closeAndFlush({ timeout: 1000 }),
      };
    },
    count: (segment) => ({
      unique: segment.uniqueMessages().length,
      duplicates: segment.duplicates,
    }),
  } satisfies Way<SegmentEmulator>,
  {
    service: "posthog",
    how: "recipe (captureImmediate)",
    start: () => startPostHogApi(),
    make: (posthog, timeoutMs) => {
      const client = new PostHog(posthog.apiKey, {
        ...posthog.clientOptions,
        fetchRetryCount: 1,
        requestTimeout: 3000,
      });
      return {
        signUp: composed(posthogTracking({ posthog: client }), timeoutMs),
        close: () => client.shutdown(1000),
      };
    },
    count: (posthog) => ({ unique: posthog.uniqueEvents().length, duplicates: posthog.duplicates }),
  } satisfies Way<PostHogEmulator>,
  {
    service: "posthog",
    how: "SDK by hand: identify, capture, flush()",
    start: () => startPostHogApi(),
    make: (posthog) => {
      const client = new PostHog(posthog.apiKey, {
        ...posthog.clientOptions,
        fetchRetryCount: 1,
        requestTimeout: 3000,
      });
      return {
        // PostHog's advice for serverless: queue the calls, then await flush().
        signUp: async (userId) => {
          client.identify({ distinctId: userId, properties: { name: userId } });
          client.capture({ distinctId: userId, event: "user signed up" });
          await client.flush().catch(() => {});
        },
        close: () => client.shutdown(1000),
      };
    },
    count: (posthog) => ({ unique: posthog.uniqueEvents().length, duplicates: posthog.duplicates }),
  } satisfies Way<PostHogEmulator>,
];

async function measure<E extends Emulator>(
  way: Way<E>,
  options: { timeoutMs: number; offsetsMs: number[]; capMs: number },
): Promise<HangLatencyRow> {
  const emulator = await way.start();
  const { signUp, close } = way.make(emulator, options.timeoutMs);
  const capped = async (userId: string): Promise<number | null> => {
    const begun = performance.now();
    const settled = await Promise.race([signUp(userId).then(() => true), sleep(options.capMs)]);
    return settled ? performance.now() - begun : null;
  };
  try {
    // Warm-up: connections and JIT.
    await capped("warm-up");
    const warm = way.count(emulator).unique;
    // One sign-up's request hangs; up() clears the fault and keeps that request held until it times out.
    emulator.hang();
    const hung = capped("hung");
    while (
      emulator.requests.length === 0 ||
      !emulator.requests.some((r) => r.body.includes("hung"))
    ) {
      await sleep(2);
    }
    await emulator.up();
    const start = performance.now();
    const settledMs = await Promise.all(
      options.offsetsMs.map(async (at, index) => {
        await sleep(at - (performance.now() - start));
        return capped(`at-${index}`);
      }),
    );
    await hung;
    // Every sign-up sends two events: wait for the hung one's too (its request's timeout, then a retry).
    const expected = warm + 2 * (options.offsetsMs.length + 1);
    const waitUntil = performance.now() + 15_000;
    while (way.count(emulator).unique < expected && performance.now() < waitUntil) await sleep(20);
    const { unique, duplicates } = way.count(emulator);
    return {
      service: way.service,
      how: way.how,
      settledMs,
      lost: Math.max(0, expected - unique),
      duplicated: duplicates,
    };
  } finally {
    await close().catch(() => {});
    await emulator.close();
  }
}

/**
 * Section 3, second part: sign-ups made `offsetsMs` into another sign-up's hung request, for Segment and
 * PostHog, through the recipe (composeEvents, `timeoutMs`) and through the SDK used by hand. The goal
 * (issue 24): a sign-up whose own request would succeed settles within 1.5 s, nothing lost or
 * duplicated. Each row is one run on a fresh emulator and client.
 */
export async function benchHangLatency(options: {
  timeoutMs: number;
  offsetsMs: number[];
  capMs: number;
}): Promise<HangLatencyResult> {
  const rows: HangLatencyRow[] = [];
  for (const way of WAYS) rows.push(await measure(way as unknown as Way<Emulator>, options));
  return { ...options, rows };
}
