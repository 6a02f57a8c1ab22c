// The batch delivery machine's invariants, on their own so that only a runner asked to check them
// (tests) carries them: `new BatchDelivery(port, { check: batchInvariants })`.
import type {
  BatchBefore,
  BatchCheck,
  BatchEffect,
  BatchEntryState,
  BatchEvent,
  BatchState,
  BatchWaiter,
} from "./batch-types.ts";

type State = BatchState<unknown, unknown>;
type Waiter = BatchWaiter<unknown>;

/** Notes what {@link batchViolation} compares the effects of `event` on `state` with. */
export function batchBefore<Call, Failure>(
  state: BatchState<Call, Failure>,
  event: BatchEvent<Call, Failure>,
): BatchBefore {
  const waiters = new Set<unknown>(state.waiters);
  if (event.type === "submitted" && !waiters.has(event.waiter)) waiters.add(event.waiter);
  return { held: new Set(state.held.map((entry) => entry.id)), waiters };
}

/**
 * The first invariant `state` (after a transition that produced `effects` from `before`) breaks, in
 * words, or `undefined` when it keeps them all. It walks every entry: for tests and the `check` option.
 *
 * @example
 * ```ts
 * const before = batchBefore(state, event);
 * const effects = batchTransition(state, event);
 * const broken = batchViolation(state, effects, before);
 * if (broken) throw new Error(broken);
 * ```
 */
export function batchViolation<Call, Failure>(
  state: BatchState<Call, Failure>,
  effects: readonly BatchEffect<Call, Failure>[],
  before: BatchBefore,
): string | undefined {
  const s = state as State;
  const { phase, round, timers, settings } = s;
  const open = phase === "flushing" || phase === "bypassing";
  if (open !== (round !== undefined)) return `phase ${phase} with${round ? "" : "out"} a round`;
  if (settings.immediate && open) return "a round on a client that sends each call by itself";
  if (timers.has("backoff") !== (phase === "backingOff")) return `backoff timer in phase ${phase}`;
  const beforeCut = round?.flush === "running" || round?.flush === "drained";
  if (timers.has("cut") !== beforeCut) return `cut timer with flush ${round?.flush ?? "none"}`;
  if (timers.has("bypass") && phase !== "flushing") return `bypass timer in phase ${phase}`;
  if (timers.has("afterDrain") && round?.flush !== "cutDrained") {
    return `afterDrain timer with flush ${round?.flush ?? "none"}`;
  }
  if (phase === "flushing" && round!.open === 0 && !timers.has("bypass")) {
    return "a flushing round whose calls all have outcomes and no bypass timer";
  }
  const counts: Record<BatchEntryState, number> = { held: 0, inRound: 0, owed: 0, sent: 0 };
  const references = new Map<Waiter, number>();
  for (const [id, entry] of s.entries) {
    if (entry.id !== id) return `entry ${id} filed under another id`;
    counts[entry.state]++;
    if (entry.state === "held" && entry.late.size) return `held entry ${id} has late waiters`;
    for (const waiter of entry.waiters) {
      if (entry.late.has(waiter)) return `a waiter of ${id} is both early and late`;
      references.set(waiter, (references.get(waiter) ?? 0) + 1);
    }
    for (const waiter of entry.late) references.set(waiter, (references.get(waiter) ?? 0) + 1);
  }
  if (counts.held !== s.held.length || new Set(s.held).size !== s.held.length) {
    return "the held list is not the held entries";
  }
  for (const entry of s.held) {
    if (s.entries.get(entry.id) !== entry || entry.state !== "held") {
      return `held list has ${entry.id}, not held`;
    }
  }
  if (counts.inRound !== (round?.open ?? 0)) return "the round's open count is not its entries";
  if (settings.immediate && counts.owed) return "owed entries on a client that sends each call";
  const ticking = timers.has("tick");
  if (phase === "idle" && (s.held.length || counts.owed) && !ticking) {
    return "idle with calls to hand over and no tick coming";
  }
  // Every held call a copy sent again that nobody waits for, and nothing owed: what a backoff waits for.
  const ownerless =
    !counts.owed && s.held.every((entry) => entry.failures > 0 && entry.waiters.size === 0);
  if (phase === "backingOff" && (!s.held.length || (!ownerless && !ticking))) {
    return "backing off while a held call has a waiter, or with nothing held";
  }
  for (const [waiter, count] of references) {
    if (!s.waiters.has(waiter)) return `settled waiter ${waiter.id} still referenced`;
    if (waiter.remaining !== count)
      return `waiter ${waiter.id} counts ${waiter.remaining}, not ${count}`;
  }
  for (const waiter of s.waiters) {
    if (!references.has(waiter)) return `waiter ${waiter.id} waits for nothing`;
  }
  const sent = new Set<string>();
  const settled = new Set<unknown>();
  for (const effect of effects) {
    if (effect.type === "send") {
      // An id goes to the SDK only from held, and once: with it at most once.
      if (!before.held.has(effect.id) || sent.has(effect.id)) return `${effect.id} sent twice`;
      sent.add(effect.id);
    } else if (effect.type === "settle") {
      const waiter = effect.waiter as Waiter;
      if (s.waiters.has(waiter)) return `waiter ${waiter.id} settled but still waiting`;
      // Exactly once: pending before this transition (or submitted by it), settled by one effect.
      if (!before.waiters.has(waiter) || settled.has(waiter)) {
        return `waiter ${waiter.id} settled twice`;
      }
      settled.add(waiter);
    }
  }
  for (const id of sent) {
    const entry = s.entries.get(id);
    if (entry?.state === "held") return `${id} sent and held`;
  }
  return undefined;
}

/**
 * The machine's invariants, for `BatchDelivery`'s `check` option: after every transition the runner
 * throws the first one broken. An id is with the SDK at most once (sent only from held, once); a held
 * entry is not with the SDK; a round is open exactly in `flushing` and `bypassing`; each timer is armed
 * only in its states (no timer in `idle` but the tick, the backoff timer exactly in `backingOff`); idle
 * with calls to hand over has a tick coming; every waiter counts exactly the entries that owe it an
 * outcome and is settled exactly once.
 *
 * @example
 * ```ts
 * const queue = new BatchDelivery(port, { check: batchInvariants });
 * ```
 */
export const batchInvariants: BatchCheck = {
  before: batchBefore,
  violation: batchViolation,
};
