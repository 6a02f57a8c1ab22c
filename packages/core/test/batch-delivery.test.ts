import { describe, expect, it } from "vitest";
import {
  BatchDelivery,
  type BatchSettings,
  type BatchWaiter,
  batchBefore,
  batchTransition,
  batchViolation,
  initialBatchState,
} from "../src/kit/index.ts";
import { type Call, calls, Failure, harness, settle, watch } from "./fixtures/batch-fakes.ts";

const SETTINGS: BatchSettings = {
  immediate: false,
  cutAfterMs: 750,
  bypassAfterMs: 25,
  maxCopies: 10,
  retryMinMs: 500,
  retryMaxMs: 30_000,
};

const waiter = (id: number): BatchWaiter<Failure> => ({ id, ids: [], remaining: 0 });

describe("batchTransition: one event in, the effects out", () => {
  it("a call: held for a tick, then a round of one send and one flush, ended by the flush", () => {
    const state = initialBatchState<Call, Failure>(SETTINGS);
    const w = waiter(1);
    expect(batchTransition(state, { type: "submitted", waiter: w, calls: calls("a") })).toEqual([
      { type: "arm", timer: "tick", ms: 0, serial: 1 },
    ]);
    expect(state.phase).toBe("idle");
    expect(batchTransition(state, { type: "fired", timer: "tick", serial: 1 })).toEqual([
      { type: "send", id: "a", call: { id: "a" } },
      { type: "arm", timer: "cut", ms: 750, serial: 2 },
      { type: "flush", round: 1, timeoutMs: 750 },
    ]);
    expect(state.phase).toBe("flushing");
    expect(state.round).toEqual({ n: 1, flush: "running", open: 1 });
    expect(batchTransition(state, { type: "delivered", id: "a" })).toEqual([
      { type: "arm", timer: "bypass", ms: 25, serial: 3 },
      { type: "settle", waiter: w, outcome: "delivered" },
    ]);
    expect(batchTransition(state, { type: "flushEnded", round: 1 })).toEqual([
      { type: "clear", timer: "bypass" },
      { type: "clear", timer: "cut" },
    ]);
    expect(state.phase).toBe("idle");
    expect(state.entries.size).toBe(0);
    // A firing of a timer the machine cleared, or a flush of another round, changes nothing.
    expect(batchTransition(state, { type: "fired", timer: "cut", serial: 2 })).toEqual([]);
    expect(batchTransition(state, { type: "flushEnded", round: 1 })).toEqual([]);
  });

  it("batchViolation names the rule a state breaks", () => {
    const state = initialBatchState<Call, Failure>(SETTINGS);
    const w = waiter(1);
    const event = { type: "submitted", waiter: w, calls: calls("a") } as const;
    const before = batchBefore(state, event);
    const effects = batchTransition(state, event);
    expect(batchViolation(state, effects, before)).toBeUndefined();
    // Settled twice by one transition.
    expect(
      batchViolation(
        state,
        [
          { type: "settle", waiter: waiter(2), outcome: "delivered" },
          { type: "settle", waiter: waiter(2), outcome: "delivered" },
        ],
        { held: new Set(), waiters: new Set() },
      ),
    ).toBe("waiter 2 settled twice");
    // A held call sent by a transition that did not start with it held: a second copy with the SDK.
    expect(
      batchViolation(state, [{ type: "send", id: "a", call: { id: "a" } }], {
        held: new Set(),
        waiters: new Set(),
      }),
    ).toBe("a sent twice");
    state.phase = "flushing";
    expect(batchViolation(state, [], before)).toBe("phase flushing without a round");
    state.phase = "idle";
    state.timers.delete("tick");
    expect(batchViolation(state, [], before)).toBe(
      "idle with calls to hand over and no tick coming",
    );
    state.timers.set("tick", 1);
    w.remaining = 2;
    expect(batchViolation(state, [], before)).toBe("waiter 1 counts 2, not 1");
  });
});

describe("BatchDelivery: rounds", () => {
  it("calls made in one tick share a round; calls made during its flush wait for the next", async () => {
    const { time, sdk, queue, where } = harness();
    const first = [watch(queue.submit(calls("a"))), watch(queue.submit(calls("b")))];
    time.ticks();
    expect(sdk.sent).toEqual(["a", "b"]);
    expect(sdk.flushes.map((flush) => flush.timeoutMs)).toEqual([750]);
    const later = watch(queue.submit(calls("c")));
    time.ticks();
    expect(where()).toEqual({ a: "inRound", b: "inRound", c: "held" });
    sdk.deliver("a");
    sdk.deliver("b");
    await settle();
    expect(first.map((seen) => seen.done && seen.error === undefined)).toEqual([true, true]);
    expect(sdk.sent).toEqual(["a", "b"]);
    sdk.flushes[0]!.end();
    await settle();
    expect(sdk.sent).toEqual(["a", "b", "c"]);
    expect(sdk.flushes).toHaveLength(2);
    sdk.deliver("c");
    sdk.flushes[1]!.end();
    await settle();
    expect(later).toMatchObject({ settled: 1, error: undefined });
    expect(queue.state.phase).toBe("idle");
    expect(time.timers).toEqual([]);
  });

  it("a round cut after 750 ms: the batches the SDK stopped retrying go again with the calls made meanwhile", async () => {
    const { time, sdk, queue, where } = harness();
    const first = watch(queue.submit(calls("a")));
    time.ticks();
    time.advance(749);
    expect(queue.state.round?.flush).toBe("running");
    time.advance(1);
    expect(queue.state.round?.flush).toBe("cut");
    sdk.fail("a", { cut: true });
    const second = watch(queue.submit(calls("b")));
    time.ticks();
    expect(where()).toEqual({ a: "held", b: "held" });
    // The cut flush resolves at once; the round ends only once the request in flight has.
    sdk.flushes[0]!.end();
    await settle();
    expect(queue.state.phase).toBe("flushing");
    queue.drained();
    // The bypass timer (the round's one call has its outcome) and the end of the round, next turn.
    expect(time.delays()).toEqual([25, 0]);
    time.advance(0);
    expect(sdk.sent).toEqual(["a", "a", "b"]);
    expect(sdk.flushes).toHaveLength(2);
    sdk.deliver("a");
    sdk.deliver("b");
    await settle();
    expect(first).toMatchObject({ settled: 1, error: undefined });
    expect(second).toMatchObject({ settled: 1, error: undefined });
  });

  it("a batch the SDK reports cut in a round the machine did not cut is a verdict", async () => {
    const { time, sdk, queue } = harness();
    const seen = watch(queue.submit(calls("a")));
    time.ticks();
    const failure = sdk.fail("a", { cut: true, retryable: true });
    await settle();
    expect(seen.error).toBe(failure);
    expect(queue.state.entries.size).toBe(0);
  });

  it("a flush held open by calls made elsewhere: after 25 ms held calls go without it, and the next flush sends them", async () => {
    const { time, sdk, queue, where } = harness();
    watch(queue.submit(calls("a")));
    time.ticks();
    sdk.deliver("a");
    time.advance(24);
    expect(queue.state.phase).toBe("flushing");
    time.advance(1);
    expect(queue.state.phase).toBe("bypassing");
    const b = watch(queue.submit(calls("b")));
    const c = watch(queue.submit(calls("c")));
    time.ticks();
    expect(sdk.sent).toEqual(["a", "b", "c"]);
    expect(sdk.flushes).toHaveLength(1);
    expect(where()).toEqual({ b: "owed", c: "owed" });
    sdk.deliver("b");
    await settle();
    expect(b).toMatchObject({ settled: 1, error: undefined });
    sdk.flushes[0]!.end();
    await settle();
    // c is with the SDK but in no flush yet: a round of no new sends flushes it.
    expect(sdk.flushes).toHaveLength(2);
    expect(sdk.sent).toEqual(["a", "b", "c"]);
    expect(where()).toEqual({ c: "sent" });
    sdk.deliver("c");
    await settle();
    expect(c).toMatchObject({ settled: 1, error: undefined });
  });
});

describe("BatchDelivery: outcomes", () => {
  it("a failure is its waiter's: reported, not sent again", async () => {
    const { time, sdk, queue } = harness();
    const seen = watch(queue.submit(calls("a", "b")));
    time.ticks();
    const failure = sdk.fail("a", { retryable: true });
    sdk.deliver("b");
    sdk.flushes[0]!.end();
    await settle();
    expect(seen).toMatchObject({ settled: 1, error: failure });
    expect(sdk.sent).toEqual(["a", "b"]);
    expect(queue.state.entries.size).toBe(0);
  });

  it("a retry of a call still with the SDK waits for that copy, and sends another only if it fails", async () => {
    const { time, sdk, queue } = harness();
    const first = watch(queue.submit(calls("a")));
    time.ticks();
    const retry = watch(queue.submit(calls("a")));
    time.ticks();
    expect(sdk.sent).toEqual(["a"]);
    const failure = sdk.fail("a");
    await settle();
    expect(first.error).toBe(failure);
    expect(retry.done).toBe(false);
    sdk.flushes[0]!.end();
    await settle();
    expect(sdk.sent).toEqual(["a", "a"]);
    sdk.deliver("a");
    await settle();
    expect(retry).toMatchObject({ settled: 1, error: undefined });
  });

  it("one id twice in one submission is one call", async () => {
    const { time, sdk, queue } = harness();
    const seen = watch(queue.submit(calls("a", "a")));
    time.ticks();
    sdk.deliver("a");
    await settle();
    expect(sdk.sent).toEqual(["a"]);
    expect(seen).toMatchObject({ settled: 1, error: undefined });
  });

  it("a call the SDK refuses fails at once, not retryable", async () => {
    const { time, sdk, queue } = harness();
    sdk.refuse.add("a");
    const seen = watch(queue.submit(calls("a")));
    time.ticks();
    await settle();
    expect(seen.error).toBeInstanceOf(Failure);
    expect(seen.error).toMatchObject({ message: "refused a: invalid call", retryable: false });
    expect(queue.state.entries.size).toBe(0);
  });

  it("outcomes of calls it does not have (the app's own, a held copy) change nothing", () => {
    const { time, queue } = harness();
    watch(queue.submit(calls("a")));
    queue.delivered("a");
    queue.delivered("app-1");
    queue.failed("app-2", new Failure("x", true), { retryable: true, cut: false });
    expect(queue.state.entries.get("a")?.state).toBe("held");
    time.ticks();
    expect(queue.state.entries.get("a")?.state).toBe("inRound");
  });
});

describe("BatchDelivery: aborting only stops the waiting", () => {
  it("the waiter rejects with the signal's reason; the call goes out all the same", async () => {
    const { time, sdk, queue } = harness();
    const controller = new AbortController();
    const seen = watch(queue.submit(calls("a"), controller.signal));
    controller.abort(new Error("timed out"));
    await settle();
    expect(seen).toMatchObject({ settled: 1, error: new Error("timed out") });
    time.ticks();
    expect(sdk.sent).toEqual(["a"]);
    const already = watch(queue.submit(calls("b"), AbortSignal.abort("gone")));
    await settle();
    expect(already).toMatchObject({ settled: 1, error: "gone" });
  });

  it("a copy owed to nobody goes again after its backoff, doubling, at most 10 copies", async () => {
    const { time, sdk, queue } = harness();
    watch(queue.submit(calls("a"), AbortSignal.abort()));
    time.ticks();
    const waits: number[] = [];
    for (let copy = 1; copy <= 10; copy++) {
      expect(sdk.sent).toHaveLength(copy);
      sdk.fail("a", { retryable: true });
      sdk.flushes.at(-1)!.end();
      await settle();
      if (copy === 10) break;
      expect(queue.state.phase).toBe("backingOff");
      const wait = time.timers[0]!.ms;
      waits.push(wait);
      time.advance(wait - 1);
      expect(sdk.sent).toHaveLength(copy);
      time.advance(1);
    }
    expect(waits).toEqual([500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
    expect(queue.state.entries.size).toBe(0);
    expect(queue.state.phase).toBe("idle");
    expect(time.timers).toEqual([]);
  });

  it("a call someone waits for ends the backoff at once and takes the copies along", async () => {
    const { time, sdk, queue } = harness();
    watch(queue.submit(calls("a"), AbortSignal.abort()));
    time.ticks();
    sdk.fail("a", { retryable: true });
    sdk.flushes[0]!.end();
    await settle();
    expect(queue.state.phase).toBe("backingOff");
    watch(queue.submit(calls("b")));
    time.ticks();
    expect(sdk.sent).toEqual(["a", "a", "b"]);
    expect(queue.state.timers.has("backoff")).toBe(false);
  });
});

describe("BatchDelivery: a client that sends each call by itself", () => {
  it("hands every call over at once and never flushes; copies owed to nobody still back off", async () => {
    const { time, sdk, queue } = harness({ immediate: true });
    const a = watch(queue.submit(calls("a")));
    time.ticks();
    const b = watch(queue.submit(calls("b"), AbortSignal.abort()));
    time.ticks();
    expect(sdk.sent).toEqual(["a", "b"]);
    sdk.deliver("a");
    sdk.fail("b", { retryable: true });
    time.ticks();
    expect(queue.state.phase).toBe("backingOff");
    time.advance(500);
    expect(sdk.sent).toEqual(["a", "b", "b"]);
    sdk.deliver("b");
    await settle();
    expect(a).toMatchObject({ settled: 1, error: undefined });
    expect(b.settled).toBe(1);
    expect(sdk.flushes).toEqual([]);
    expect(queue.state.phase).toBe("idle");
  });
});

describe("BatchDelivery: configuration and checks", () => {
  it("refuses a port or options it cannot use, naming the option", () => {
    const { sdk } = harness();
    expect(() => new BatchDelivery({ ...sdk.port, send: undefined } as never)).toThrow(
      new TypeError('[auth-recipes/core] option "send" is required'),
    );
    expect(() => new BatchDelivery(sdk.port, { cutAfterMs: 0 })).toThrow(
      new RangeError('[auth-recipes/core] option "cutAfterMs" must be a positive number of ms'),
    );
    expect(() => new BatchDelivery(sdk.port, { maxCopies: 1.5 })).toThrow(RangeError);
    expect(() => new BatchDelivery(sdk.port, { clock: {} as never })).toThrow(TypeError);
  });

  it("with check, the first transition from a broken state throws the rule it breaks", () => {
    const { queue } = harness();
    watch(queue.submit(calls("a")));
    // Lose the held call behind the machine's back: the next event finds it.
    queue.state.held.length = 0;
    expect(() => queue.drained()).toThrow(
      "[auth-recipes/core] batch delivery invariant broken: the held list is not the held entries",
    );
  });
});
