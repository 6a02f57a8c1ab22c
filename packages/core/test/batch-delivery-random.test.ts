import { describe, expect, it } from "vitest";
import { calls, harness, settle, watch } from "./fixtures/batch-fakes.ts";

// Thousands of random event sequences, from a seeded generator so that a failure names its seed and
// replays. Every transition is checked by the machine itself (`check`), and after every step the fake
// SDK's view is compared with the machine's: the ids it holds are exactly the entries not held. Timers
// fire in any order, not only in time order: no rule may depend on which timer comes first. Each
// sequence ends with the SDK delivering everything, after which every waiter has settled exactly once,
// and one that resolved had each of its ids delivered after it asked.

const SEQUENCES = 3000;
const SEED = 0x5eed;
const IDS = ["a", "b", "c", "d", "e", "f"];

/** mulberry32: small, fast and good enough to pick events. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function sequence(seed: number): Promise<{ steps: number; sends: number }> {
  const random = generator(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const { time, sdk, queue } = harness({
    immediate: random() < 0.25,
    maxCopies: 1 + Math.floor(random() * 4),
  });
  const delivered: string[] = [];
  const deliver = (id: string) => {
    sdk.deliver(id);
    delivered.push(id);
  };
  const asked: Array<{ ids: string[]; from: number; seen: ReturnType<typeof watch> }> = [];
  const controllers: AbortController[] = [];
  const crossCheck = () => {
    const withSdk = [...queue.state.entries.values()]
      .filter((entry) => entry.state !== "held")
      .map((entry) => entry.id);
    expect(new Set(withSdk)).toEqual(sdk.holding);
  };

  const steps = 10 + Math.floor(random() * 50);
  for (let step = 0; step < steps; step++) {
    const roll = random();
    if (roll < 0.2) {
      const ids = Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(IDS));
      let signal: AbortSignal | undefined;
      if (random() < 0.3) {
        const controller = new AbortController();
        controllers.push(controller);
        signal = controller.signal;
      }
      asked.push({
        ids,
        from: delivered.length,
        seen: watch(queue.submit(calls(...ids), signal)),
      });
    } else if (roll < 0.27) {
      if (controllers.length) pick(controllers).abort(new Error("timed out"));
    } else if (roll < 0.37) {
      time.ticks();
    } else if (roll < 0.52) {
      if (time.timers.length) time.fireAt(Math.floor(random() * time.timers.length));
    } else if (roll < 0.67) {
      if (sdk.holding.size) deliver(pick([...sdk.holding]));
    } else if (roll < 0.79) {
      if (sdk.holding.size) {
        sdk.fail(pick([...sdk.holding]), { retryable: random() < 0.6, cut: random() < 0.5 });
      }
    } else if (roll < 0.82) {
      sdk.refuse.add(pick(IDS));
    } else if (roll < 0.88) {
      // The SDK says so when nothing is pending; now and then it says so anyway.
      if (!sdk.holding.size || random() < 0.2) queue.drained();
    } else {
      const running = sdk.flushes.filter((flush) => !flush.ended);
      if (running.length) {
        pick(running).end();
        await settle();
      }
    }
    crossCheck();
  }

  // The SDK delivers everything from now on, and time runs until nothing is left to do.
  sdk.refuse.clear();
  const quiet = () =>
    queue.state.entries.size === 0 &&
    queue.state.phase === "idle" &&
    time.timers.length === 0 &&
    time.microtasks.length === 0 &&
    sdk.running() === 0;
  for (let round = 0; round < 200 && !quiet(); round++) {
    time.ticks();
    for (const id of [...sdk.holding]) deliver(id);
    for (const flush of sdk.flushes) if (!flush.ended) flush.end();
    await settle();
    if (!sdk.holding.size) queue.drained();
    const next = Math.min(...time.timers.map((timer) => timer.at));
    if (Number.isFinite(next)) time.advance(next - time.now);
    crossCheck();
  }
  await settle();
  expect(quiet()).toBe(true);
  expect(queue.state.waiters.size).toBe(0);
  for (const { ids, from, seen } of asked) {
    expect(seen.settled).toBe(1);
    // Resolved only once each of its ids was delivered after it asked.
    if (seen.error === undefined) {
      for (const id of ids) expect(delivered.indexOf(id, from)).toBeGreaterThanOrEqual(0);
    }
  }
  return { steps, sends: sdk.sent.length };
}

describe("BatchDelivery under random event sequences", () => {
  it(`keeps its invariants after every step of ${SEQUENCES} sequences, and settles every waiter once`, async () => {
    let steps = 0;
    let sends = 0;
    for (let i = 0; i < SEQUENCES; i++) {
      const seed = SEED + i;
      try {
        const figures = await sequence(seed);
        steps += figures.steps;
        sends += figures.sends;
      } catch (error) {
        throw new Error(`sequence with seed ${seed} failed: ${(error as Error).message}`, {
          cause: error,
        });
      }
    }
    // The sequences did exercise the machine.
    expect(steps).toBeGreaterThan(SEQUENCES * 20);
    expect(sends).toBeGreaterThan(SEQUENCES);
  }, 60_000);
});
