import type {
  BatchEffect,
  BatchEntry,
  BatchEntryState,
  BatchEvent,
  BatchSettings,
  BatchState,
  BatchTimer,
  BatchWaiter,
} from "./batch-types.ts";

/** A fresh machine: idle, nothing held, no timer armed. */
export function initialBatchState<Call, Failure>(
  settings: BatchSettings,
): BatchState<Call, Failure> {
  return {
    settings,
    phase: "idle",
    round: undefined,
    rounds: 0,
    entries: new Map(),
    held: [],
    waiters: new Set(),
    backoffs: 0,
    timers: new Map(),
    serial: 0,
  };
}

type State = BatchState<unknown, unknown>;
type Entry = BatchEntry<unknown, unknown>;
type Waiter = BatchWaiter<unknown>;
type Effects = BatchEffect<unknown, unknown>[];

/**
 * The batch delivery machine's one transition: applies `event` to `state` (in place) and returns what
 * the runner must do, in order. It never calls an SDK or a timer itself, so a test can drive it with
 * any sequence of events and read every effect.
 *
 * @example
 * ```ts
 * const state = initialBatchState<string, Error>(settings);
 * const effects = batchTransition(state, { type: "submitted", waiter, calls: [{ id: "m1", call: "hi" }] });
 * // → [{ type: "arm", timer: "tick", ms: 0, serial: 1 }]
 * ```
 */
export function batchTransition<Call, Failure>(
  state: BatchState<Call, Failure>,
  event: BatchEvent<Call, Failure>,
): BatchEffect<Call, Failure>[] {
  // The steps below do not look into calls or failures: one untyped body serves every adapter.
  const s = state as State;
  const fx: Effects = [];
  switch (event.type) {
    case "submitted": {
      const waiter = event.waiter as Waiter;
      for (const { id, call } of event.calls) {
        let entry = s.entries.get(id);
        if (!entry) {
          entry = { id, call, state: "held", waiters: new Set(), late: new Set(), failures: 0 };
          s.entries.set(id, entry);
          s.held.push(entry);
        }
        if (entry.waiters.has(waiter) || entry.late.has(waiter)) continue;
        // Joining a copy already with the SDK: if that copy fails, a retry is owed to this waiter.
        (entry.state === "held" ? entry.waiters : entry.late).add(waiter);
        waiter.ids.push(id);
        waiter.remaining++;
      }
      if (waiter.remaining === 0) fx.push({ type: "settle", waiter, outcome: "delivered" });
      else s.waiters.add(waiter);
      // On the next microtask, so that calls made in the same tick (many sign-ins at once) share a round.
      if (!s.timers.has("tick")) arm(s, fx, "tick", 0);
      break;
    }
    case "withdrawn": {
      const waiter = event.waiter as Waiter;
      if (!s.waiters.delete(waiter)) break;
      // Only the waiting stops: its calls stay queued, and a call nobody waits for is still delivered.
      for (const id of waiter.ids) {
        const entry = s.entries.get(id);
        entry?.waiters.delete(waiter);
        entry?.late.delete(waiter);
      }
      fx.push({ type: "settle", waiter, outcome: "withdrawn" });
      break;
    }
    case "delivered":
      outcome(s, fx, event.id);
      break;
    case "failed": {
      const flush = s.round?.flush;
      // A batch the SDK stopped retrying because we cut the flush is no verdict on the call.
      const cut = event.cut && (flush === "cut" || flush === "cutDrained");
      outcome(s, fx, event.id, { failure: event.failure, retryable: event.retryable, cut });
      break;
    }
    case "drained": {
      const round = s.round;
      if (!round) break;
      if (round.flush === "running") round.flush = "drained";
      else if (round.flush !== "drained") {
        // A flush that timed out is over only now, and the SDK takes another only once its own
        // promise has settled, after this event: hence a timer, not the end of the round here.
        round.flush = "cutDrained";
        arm(s, fx, "afterDrain", 0);
      }
      break;
    }
    case "flushEnded":
      // A flush that was cut resolves at once; the SDK's own ends with the request in flight.
      if (s.round?.n === event.round && s.round.flush !== "cut") endRound(s, fx);
      break;
    case "fired": {
      if (s.timers.get(event.timer) !== event.serial) break;
      s.timers.delete(event.timer);
      fired(s, fx, event.timer);
      break;
    }
  }
  return fx as BatchEffect<Call, Failure>[];
}

function fired(s: State, fx: Effects, timer: BatchTimer): void {
  const round = s.round;
  switch (timer) {
    case "tick":
      pump(s, fx);
      return;
    case "cut":
      if (round) round.flush = round.flush === "drained" ? "cutDrained" : "cut";
      return;
    case "bypass":
      // Every call of the round has its outcome, yet the flush runs on: calls made elsewhere on the
      // client hold it open. Held calls go to the SDK without it; the next flush sends them.
      if (round) {
        s.phase = "bypassing";
        pump(s, fx);
      }
      return;
    case "afterDrain":
      if (round) endRound(s, fx);
      return;
    case "backoff":
      s.phase = "idle";
      if (s.settings.immediate) handAll(s, fx, "sent");
      else pump(s, fx);
      return;
  }
}

/** Hands over what is due: starts a round, or hands held calls at once (bypass, immediate mode). */
function pump(s: State, fx: Effects): void {
  if (s.settings.immediate) {
    // No rounds: no call waits behind another's request. Copies owed to nobody still back off.
    if (!s.held.length) return;
    if (ownerless(s)) {
      if (s.phase !== "backingOff") backOff(s, fx);
      return;
    }
    clear(s, fx, "backoff");
    s.phase = "idle";
    handAll(s, fx, "sent");
    return;
  }
  if (s.round) {
    if (s.phase === "bypassing") handAll(s, fx, "owed");
    return;
  }
  const owed = some(s, "owed");
  if (!s.held.length && !owed) return;
  // Copies owed to nobody wait out their backoff; a call someone waits for starts the round at once
  // and takes them along.
  if (s.phase === "backingOff" && ownerless(s)) return;
  clear(s, fx, "backoff");
  const n = ++s.rounds;
  const entries = s.held.splice(0);
  s.round = { n, flush: "running", open: entries.length };
  s.phase = "flushing";
  // The flush of this round sends what was handed over during the last bypass too.
  if (owed)
    for (const entry of s.entries.values()) if (entry.state === "owed") entry.state = "sent";
  for (const entry of entries) hand(fx, entry, "inRound");
  if (!entries.length) arm(s, fx, "bypass", s.settings.bypassAfterMs);
  // Before the flush's own timer of the same length: the round knows it was cut when the SDK reports
  // the batches it stopped retrying.
  arm(s, fx, "cut", s.settings.cutAfterMs);
  // After the sends: the SDK's flush counts the calls pending when it starts.
  fx.push({ type: "flush", round: n, timeoutMs: s.settings.cutAfterMs });
}

function endRound(s: State, fx: Effects): void {
  const round = s.round!;
  s.round = undefined;
  s.phase = "idle";
  clear(s, fx, "bypass");
  clear(s, fx, "cut");
  clear(s, fx, "afterDrain");
  if (round.open) {
    for (const entry of s.entries.values()) if (entry.state === "inRound") entry.state = "sent";
  }
  if (s.held.length && ownerless(s)) backOff(s, fx);
  else pump(s, fx);
}

function backOff(s: State, fx: Effects): void {
  const { retryMinMs, retryMaxMs } = s.settings;
  const delay = Math.min(retryMinMs * 2 ** s.backoffs, retryMaxMs);
  s.backoffs++;
  s.phase = "backingOff";
  arm(s, fx, "backoff", delay);
}

/** Whether every held call is a copy sent again that nobody waits for any more (and nothing is owed). */
function ownerless(s: State): boolean {
  return (
    !some(s, "owed") && s.held.every((entry) => entry.failures > 0 && entry.waiters.size === 0)
  );
}

function some(s: State, state: BatchEntryState): boolean {
  for (const entry of s.entries.values()) if (entry.state === state) return true;
  return false;
}

function handAll(s: State, fx: Effects, state: BatchEntryState): void {
  for (const entry of s.held.splice(0)) hand(fx, entry, state);
}

function hand(fx: Effects, entry: Entry, state: BatchEntryState): void {
  entry.state = state;
  fx.push({ type: "send", id: entry.id, call: entry.call });
}

/**
 * The outcome of a copy the SDK had, for everyone waiting for its message id. `cut`: the SDK stopped
 * retrying it because the round was cut short, which is no verdict: it goes into the next round.
 */
function outcome(
  s: State,
  fx: Effects,
  id: string,
  failed?: { failure: unknown; retryable: boolean; cut: boolean },
): void {
  const entry = s.entries.get(id);
  // Not ours (the app's own calls on the client), or a copy not with the SDK: nothing to settle.
  if (!entry || entry.state === "held") return;
  if (entry.state === "inRound") {
    entry.state = "sent";
    // The round's calls all have their outcome: a flush still running after a moment waits for calls
    // made elsewhere on this client.
    if (--s.round!.open === 0 && s.phase === "flushing") {
      arm(s, fx, "bypass", s.settings.bypassAfterMs);
    }
  }
  if (!failed) {
    s.backoffs = 0;
    s.entries.delete(id);
    for (const waiter of entry.waiters) done(s, fx, waiter);
    for (const waiter of entry.late) done(s, fx, waiter);
    return;
  }
  entry.failures++;
  const waiting = entry.waiters.size + entry.late.size > 0;
  const again =
    entry.failures < s.settings.maxCopies && (failed.cut || (!waiting && failed.retryable));
  if (again || entry.late.size) {
    // Cut short, owed to nobody, or a retry joined a copy that then failed: one more copy, next round.
    const told = again ? [] : [...entry.waiters];
    entry.waiters = again ? new Set([...entry.waiters, ...entry.late]) : entry.late;
    entry.late = new Set();
    entry.state = "held";
    s.held.push(entry);
    for (const waiter of told) done(s, fx, waiter, failed.failure);
    if ((!s.round || s.settings.immediate) && !s.timers.has("tick")) arm(s, fx, "tick", 0);
    return;
  }
  s.entries.delete(id);
  for (const waiter of entry.waiters) done(s, fx, waiter, failed.failure);
}

/** One of the waiter's ids has its outcome; the waiter settles with its last. */
function done(s: State, fx: Effects, waiter: Waiter, failure?: unknown): void {
  if (failure !== undefined) waiter.failure ??= failure;
  if (--waiter.remaining > 0) return;
  s.waiters.delete(waiter);
  fx.push({
    type: "settle",
    waiter,
    outcome: waiter.failure === undefined ? "delivered" : "failed",
  });
}

function arm(s: State, fx: Effects, timer: BatchTimer, ms: number): void {
  const serial = ++s.serial;
  s.timers.set(timer, serial);
  fx.push({ type: "arm", timer, ms, serial });
}

function clear(s: State, fx: Effects, timer: BatchTimer): void {
  if (s.timers.delete(timer)) fx.push({ type: "clear", timer });
}
