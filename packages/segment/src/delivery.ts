import { messageOf } from "@auth-recipes/core/kit";
import type { Analytics, IdentifyParams, TrackParams } from "@segment/analytics-node";
import { clientSecrets, deliveryError, SegmentDeliveryError } from "./errors.ts";

/** One call the recipe makes, with the message id that identifies it across attempts. */
export type SegmentCall =
  | { type: "identify"; params: IdentifyParams & { messageId: string } }
  | { type: "track"; params: TrackParams & { messageId: string } };

/** Someone waiting for one message's outcome: `undefined` when delivered, else the failure. */
type Waiter = (failure?: SegmentDeliveryError) => void;

/** One message id: its call, who waits for it, and whether the SDK has it now. */
interface Entry {
  call: SegmentCall;
  /** Who waits for the outcome of the copy with the SDK (or, before it is handed over, of the next one). */
  waiters: Set<Waiter>;
  /** Who started waiting after the copy was handed over: retries, which a failure sends again. */
  late: Set<Waiter>;
  sent: boolean;
  /** Copies that failed so far. */
  failures: number;
}

// How long a flush may outlast the round it was called for before we stop holding calls back for it.
// The SDK ends a flush in the same tick as its last delivery when only our calls are pending; longer
// means calls made elsewhere on the client hold it open.
const BYPASS_AFTER_MS = 25;
// The flush of a round is given this long before the SDK is told to stop retrying its batches. The SDK
// waits at least 1 s after a failed request before it retries (500 ms × 2 × 1-2), so a round is one
// request: a hung request holds the calls made meanwhile for at most the client's request timeout,
// never for its retries and their backoff. The queue retries instead, with every call made meanwhile.
const CUT_AFTER_MS = 750;
// What the SDK reports for a batch it stopped retrying because the flush timed out.
const CUT_REASON = "Flush timeout";
// A client made with `flushAt: 1` puts each call on the wire as soon as it has it, in a request of its
// own, whatever else is in flight: the one setting under which no call waits behind another's request.
// The SDK keeps it in a private field (2.1 to 3.x alike); when it cannot be read, rounds it is.
function sendsEachCall(analytics: Analytics): boolean {
  try {
    const publisher = (analytics as unknown as { _publisher?: { _flushAt?: unknown } })._publisher;
    return publisher?._flushAt === 1;
  } catch {
    return false;
  }
}
// A call nobody waits for any more (its handler timed out) is still the recipe's to deliver: it is
// sent again after a failure that may pass, this many times at most, the waits doubling up to a bound.
const MAX_COPIES = 10;
const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 30_000;

/**
 * Delivers the recipe's calls on one `Analytics` client and tells each caller how its own calls went,
 * promptly, without ending the client, and without losing a call whose caller stopped waiting.
 *
 * The SDK batches calls until `flushAt` calls or `flushInterval` ms (10 s by default), so a handler that
 * waits for its delivery must flush. Its `flush()` is made for shutdown: while one runs, another is
 * ignored (with a console warning), and the running one waits until every pending call is delivered,
 * but calls made after it started stay in the SDK's batch until the interval. A flush per handler
 * therefore leaves overlapping sign-ins waiting up to `flushInterval`. Measured with 100 sign-ins 5 ms
 * apart on loopback: median 300 ms, slowest 10 s, 99 warnings.
 *
 * So calls go out in rounds: calls that arrive while a flush runs are held back, and when it ends they
 * are all handed to the SDK at once and flushed together. Each round is one request to Segment: a
 * flush still running after {@link CUT_AFTER_MS} stops the SDK's retries (its `flush({ timeout })`),
 * so the round ends when the request in flight does, bounded by the client's `httpRequestTimeout`.
 * The calls of a round cut short go into the next one, with the calls made meanwhile, which therefore
 * wait for at most one hung request. If calls made elsewhere on a shared client keep a flush from
 * ending after our round has been delivered, held calls are handed over without a flush (the SDK's own
 * schedule sends them) rather than held indefinitely, and the next flush picks them up.
 *
 * A caller that stops waiting (core's timeout aborted its signal) withdraws nothing: its calls stay
 * queued, and a call nobody waits for any more is sent again after a failure that may pass, up to
 * {@link MAX_COPIES} copies, until Segment has it. One message id is with the SDK at most once at a
 * time: a retry of a handler whose call is still on its way waits for that call's outcome instead of
 * sending a copy, and sends it again only if that fails.
 *
 * On a client made with `flushAt: 1` there are no rounds: the SDK sends each call in a request of its
 * own as soon as it has it, so every call is handed over at once and nothing is flushed. A hung request
 * then holds only its own calls, where a flush stuck behind it would hold every later call (the SDK's
 * `flush()` runs one at a time and sends a batch only once nothing else is pending).
 *
 * Outcomes come from the SDK's `identify`/`track` and `error` events, matched by message id. The
 * per-call callback would do too, but the SDK delays it to at least 300 ms after the call and keeps
 * the call pending meanwhile, which makes every round last at least that long.
 */
class DeliveryQueue {
  readonly #analytics: Analytics;
  /** Every message id someone waits for or the queue still has to deliver, in the order they came. */
  readonly #entries = new Map<string, Entry>();
  /** Entries waiting for the next round. */
  #held: Entry[] = [];
  #flushing = false;
  /** The running round's flush timed out: the SDK stops retrying, the round ends with its request. */
  #cut = false;
  /** The client had no call pending since the round started: the SDK's flush is over. */
  #drained = false;
  /** While set, calls skip the queue: a flush is held open by calls we did not make. */
  #bypass = false;
  /** Calls handed over during a bypass, which the next flush must send. */
  #owed = false;
  /** The message ids of the running round that have no outcome yet. */
  #open = new Set<string>();
  #round = 0;
  /** Rounds in a row whose calls all failed: how long a round of retries alone waits. */
  #failedRounds = 0;
  #bypassTimer: ReturnType<typeof setTimeout> | undefined;
  #cutTimer: ReturnType<typeof setTimeout> | undefined;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #scheduled = false;
  /** The client sends each call by itself (`flushAt: 1`): calls are handed over at once, never flushed. */
  readonly #immediate: boolean;

  constructor(analytics: Analytics) {
    this.#analytics = analytics;
    const secrets = clientSecrets(analytics);
    this.#immediate = sendsEachCall(analytics);
    // Listeners run inside the SDK's dispatch; a throw there would become an SDK error event.
    const delivered = (ctx: { event: { messageId?: string } }) => {
      try {
        this.#settle(ctx.event.messageId);
      } catch {}
    };
    analytics.on("identify", delivered);
    analytics.on("track", delivered);
    analytics.on("error", (error) => {
      try {
        if (!error.ctx) return;
        const reason = error.reason;
        const cut = this.#cut && reason instanceof Error && reason.message === CUT_REASON;
        this.#settle(error.ctx.event.messageId, deliveryError(reason, secrets), cut);
      } catch {}
    });
    analytics.on("drained", () => {
      try {
        this.#drained = true;
        // A flush that timed out is over only now, and the SDK takes another only once its own
        // promise has settled, after this event: hence the timer.
        if (this.#flushing && this.#cut) {
          const round = this.#round;
          setTimeout(() => this.#endRound(round), 0);
        }
      } catch {}
    });
    // `closeAndFlush()` ends the client: a call made after it is dropped with only this event.
    analytics.on("call_after_close", (event) => {
      try {
        this.#settle(
          event.messageId,
          new SegmentDeliveryError("Segment's Analytics client was closed before the call", {
            retryable: false,
          }),
        );
      } catch {}
    });
  }

  /**
   * Resolves once every call is delivered; rejects with the first failure once every call has an
   * outcome, or with the signal's reason when it aborts. Aborting only stops the waiting: the calls
   * are delivered all the same.
   */
  deliver(calls: SegmentCall[], signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (!calls.length) return resolve();
      let remaining = calls.length;
      let failure: SegmentDeliveryError | undefined;
      let done = false;
      const mine: [Entry, Waiter][] = [];
      const finish = (error?: unknown) => {
        if (done) return;
        done = true;
        signal?.removeEventListener("abort", abort);
        for (const [entry, waiter] of mine) {
          entry.waiters.delete(waiter);
          entry.late.delete(waiter);
        }
        if (error === undefined) resolve();
        else reject(error);
      };
      const abort = () => finish(signal?.reason);
      for (const call of calls) {
        const id = call.params.messageId;
        let entry = this.#entries.get(id);
        if (!entry) {
          entry = { call, waiters: new Set(), late: new Set(), sent: false, failures: 0 };
          this.#entries.set(id, entry);
          this.#held.push(entry);
        }
        let settled = false;
        const waiter: Waiter = (error) => {
          if (settled) return;
          settled = true;
          failure ??= error;
          if (--remaining === 0) finish(failure);
        };
        (entry.sent ? entry.late : entry.waiters).add(waiter);
        mine.push([entry, waiter]);
      }
      this.#schedule();
      // Checked after queueing: a handler that starts already aborted still leaves its calls to send.
      if (signal?.aborted) return finish(signal.reason);
      signal?.addEventListener("abort", abort, { once: true });
    });
  }

  // A microtask, so that calls made in the same tick (many sign-ins at once) share a round.
  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      this.#pump();
    });
  }

  #pump(): void {
    if (this.#immediate) {
      this.#handAtOnce();
      return;
    }
    if (this.#flushing) {
      if (this.#bypass && this.#held.length) {
        for (const entry of this.#held.splice(0)) this.#hand(entry);
        this.#owed = true;
      }
      return;
    }
    if (!this.#held.length && !this.#owed) return;
    // Copies owed to nobody wait out their backoff; a call someone waits for starts the round at once
    // and takes them along.
    if (this.#retryTimer && this.#ownerless()) return;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    const round = ++this.#round;
    const entries = this.#held.splice(0);
    this.#flushing = true;
    this.#cut = false;
    this.#bypass = false;
    this.#owed = false;
    this.#open = new Set(entries.map((entry) => entry.call.params.messageId));
    for (const entry of entries) this.#hand(entry);
    if (!this.#open.size) this.#armBypass(round);
    this.#drained = false;
    // Ours fires before the SDK's timer of the same length: the round knows it was cut when the SDK
    // reports the batches it stopped retrying.
    this.#cutTimer = setTimeout(() => {
      if (round === this.#round) this.#cut = true;
    }, CUT_AFTER_MS);
    this.#cutTimer.unref?.();
    // flush() counts the calls pending right now, ours included, and sends them all.
    this.#analytics
      .flush({ timeout: CUT_AFTER_MS })
      .catch(() => {})
      .then(() => {
        // A flush that timed out resolves at once; the SDK's own ends at the next "drained".
        if (!this.#cut || this.#drained) this.#endRound(round);
      });
  }

  #endRound(round: number): void {
    if (round !== this.#round || !this.#flushing) return;
    this.#flushing = false;
    this.#bypass = false;
    this.#cut = false;
    clearTimeout(this.#bypassTimer);
    clearTimeout(this.#cutTimer);
    if (this.#held.length && this.#ownerless()) {
      const delay = Math.min(RETRY_MIN_MS * 2 ** this.#failedRounds, RETRY_MAX_MS);
      this.#failedRounds++;
      clearTimeout(this.#retryTimer);
      this.#retryTimer = setTimeout(() => {
        this.#retryTimer = undefined;
        this.#pump();
      }, delay);
      // An app whose events have settled exits; what is still owed to Segment then goes with it.
      this.#retryTimer.unref?.();
      return;
    }
    this.#pump();
  }

  /**
   * Delivery on a client that sends each call by itself: no round, no flush, so no call waits for
   * another's request, and one hung request holds only its own calls (until the client's
   * `httpRequestTimeout`, then the SDK's retries). Copies owed to nobody still wait out their backoff.
   */
  #handAtOnce(): void {
    if (!this.#held.length) return;
    if (this.#ownerless()) {
      if (this.#retryTimer) return;
      const delay = Math.min(RETRY_MIN_MS * 2 ** this.#failedRounds, RETRY_MAX_MS);
      this.#failedRounds++;
      this.#retryTimer = setTimeout(() => {
        this.#retryTimer = undefined;
        for (const entry of this.#held.splice(0)) this.#hand(entry);
      }, delay);
      this.#retryTimer.unref?.();
      return;
    }
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    for (const entry of this.#held.splice(0)) this.#hand(entry);
  }

  /** Whether every held call is a copy sent again that nobody waits for any more. */
  #ownerless(): boolean {
    return !this.#owed && this.#held.every((entry) => entry.failures > 0 && !entry.waiters.size);
  }

  /** Hands one call to the SDK. */
  #hand(entry: Entry): void {
    const { type, params } = entry.call;
    entry.sent = true;
    try {
      if (type === "identify") this.#analytics.identify(params);
      else this.#analytics.track(params);
    } catch (error) {
      // The SDK validates synchronously; nothing was queued.
      this.#settle(
        params.messageId,
        new SegmentDeliveryError(`Segment's client refused the ${type} call: ${messageOf(error)}`, {
          retryable: false,
          cause: error,
        }),
      );
    }
  }

  /**
   * Records the outcome of a call the SDK had, for everyone waiting for its message id. `cut`: the SDK
   * stopped retrying it because the round was cut short, which is no verdict: it goes into the next round.
   */
  #settle(id: string | undefined, failure?: SegmentDeliveryError, cut = false): void {
    const entry = id === undefined ? undefined : this.#entries.get(id);
    if (!entry?.sent) return;
    if (this.#open.delete(id!) && !this.#open.size && this.#flushing) this.#armBypass(this.#round);
    if (!failure) {
      this.#failedRounds = 0;
      this.#entries.delete(id!);
      for (const waiter of [...entry.waiters, ...entry.late]) waiter();
      return;
    }
    entry.failures++;
    const waiting = entry.waiters.size + entry.late.size > 0;
    const again = entry.failures < MAX_COPIES && (cut || (!waiting && failure.retryable));
    if (again || entry.late.size) {
      // Cut short, owed to nobody, or a retry joined a copy that then failed: one more copy, next round.
      const { waiters, late } = entry;
      Object.assign(entry, {
        waiters: again ? new Set([...waiters, ...late]) : late,
        late: new Set(),
      });
      entry.sent = false;
      this.#held.push(entry);
      if (!again) for (const waiter of waiters) waiter(failure);
      if (!this.#flushing || this.#immediate) this.#schedule();
      return;
    }
    this.#entries.delete(id!);
    for (const waiter of entry.waiters) waiter(failure);
  }

  // Every call of the round has its outcome; a flush still running after a moment waits for calls
  // made elsewhere on this client.
  #armBypass(round: number): void {
    clearTimeout(this.#bypassTimer);
    this.#bypassTimer = setTimeout(() => {
      if (round !== this.#round || !this.#flushing) return;
      this.#bypass = true;
      this.#pump();
    }, BYPASS_AFTER_MS);
    this.#bypassTimer.unref?.();
  }
}

// One queue per client, shared by every recipe that uses it: two queues would flush over each other.
const queues = new WeakMap<Analytics, DeliveryQueue>();

/**
 * Hands the calls of one event to the client and waits until Segment accepted them all, or one finally
 * failed (rejects with a {@link SegmentDeliveryError}), or the signal aborts. The calls go out together.
 */
export function deliver(
  analytics: Analytics,
  calls: SegmentCall[],
  signal?: AbortSignal,
): Promise<void> {
  let queue = queues.get(analytics);
  if (!queue) {
    queue = new DeliveryQueue(analytics);
    queues.set(analytics, queue);
  }
  return queue.deliver(calls, signal);
}

/** Hands the calls to the client and returns at once: the SDK sends them on its own schedule. */
export function send(analytics: Analytics, calls: SegmentCall[]): void {
  for (const { type, params } of calls) {
    if (type === "identify") analytics.identify(params);
    else analytics.track(params);
  }
}
