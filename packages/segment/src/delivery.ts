import type { Analytics, IdentifyParams, TrackParams } from "@segment/analytics-node";
import { deliveryError, SegmentDeliveryError } from "./errors.ts";

/** One call the recipe makes, with the message id that identifies it across attempts. */
export type SegmentCall =
  | { type: "identify"; params: IdentifyParams & { messageId: string } }
  | { type: "track"; params: TrackParams & { messageId: string } };

/** Someone waiting for one message's outcome: `undefined` when delivered, else the failure. */
type Waiter = (failure?: SegmentDeliveryError) => void;

/** One message id: its call, who waits for it, and whether the SDK has it yet. */
interface Entry {
  call: SegmentCall;
  /** Who waits for the outcome of the copy with the SDK (or, before it is handed over, of the next one). */
  waiters: Set<Waiter>;
  /** Who started waiting after the copy was handed over: retries, which a failure sends again. */
  late: Set<Waiter>;
  sent: boolean;
}

// How long a flush may outlast the round it was called for before we stop holding calls back for it.
// The SDK ends a flush in the same tick as its last delivery when only our calls are pending; longer
// means calls made elsewhere on the client hold it open.
const BYPASS_AFTER_MS = 25;

/**
 * Delivers the recipe's calls on one `Analytics` client and tells each caller how its own calls went,
 * promptly, without ending the client.
 *
 * The SDK batches calls until `flushAt` calls or `flushInterval` ms (10 s by default), so a handler that
 * waits for its delivery must flush. Its `flush()` is made for shutdown: while one runs, another is
 * ignored (with a console warning), and the running one waits until every pending call is delivered,
 * but calls made after it started stay in the SDK's batch until the interval. A flush per handler
 * therefore leaves overlapping sign-ins waiting up to `flushInterval`. Measured with 100 sign-ins 5 ms
 * apart on loopback: median 300 ms, slowest 10 s, 99 warnings.
 *
 * So calls go out in rounds: calls that arrive while a flush runs are held back, and when it ends they
 * are all handed to the SDK at once and flushed together. Each round lasts about one request to
 * Segment. If calls made elsewhere on a shared client keep a flush from ending after our round has been
 * delivered, held calls are handed over without a flush (the SDK's own schedule sends them) rather than
 * held indefinitely, and the next flush picks them up.
 *
 * One message id is with the SDK at most once at a time: a retry of a handler whose call is still on its
 * way waits for that call's outcome instead of sending a copy, and sends it again only if that fails.
 *
 * Outcomes come from the SDK's `identify`/`track` and `error` events, matched by message id. The
 * per-call callback would do too, but the SDK delays it to at least 300 ms after the call and keeps
 * the call pending meanwhile, which makes every round last at least that long.
 */
class DeliveryQueue {
  readonly #analytics: Analytics;
  /** Every message id someone waits for or the SDK has, in the order they came. */
  readonly #entries = new Map<string, Entry>();
  /** Entries waiting for the next round. */
  #held: Entry[] = [];
  #flushing = false;
  /** While set, calls skip the queue: a flush is held open by calls we did not make. */
  #bypass = false;
  /** Calls handed over during a bypass, which the next flush must send. */
  #owed = false;
  /** The message ids of the running round that have no outcome yet. */
  #open = new Set<string>();
  #round = 0;
  #bypassTimer: ReturnType<typeof setTimeout> | undefined;
  #scheduled = false;

  constructor(analytics: Analytics) {
    this.#analytics = analytics;
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
        if (error.ctx) this.#settle(error.ctx.event.messageId, deliveryError(error.reason));
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
   * outcome, or with the signal's reason when it aborts (calls not yet handed to the SDK are withdrawn).
   */
  deliver(calls: SegmentCall[], signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      if (!calls.length) return resolve();
      let remaining = calls.length;
      let failure: SegmentDeliveryError | undefined;
      let done = false;
      const mine: [Entry, Waiter][] = [];
      const finish = (error?: unknown) => {
        if (done) return;
        done = true;
        signal?.removeEventListener("abort", abort);
        for (const [entry, waiter] of mine) this.#forget(entry, waiter);
        if (error === undefined) resolve();
        else reject(error);
      };
      const abort = () => finish(signal?.reason);
      for (const call of calls) {
        const id = call.params.messageId;
        let entry = this.#entries.get(id);
        if (!entry) {
          entry = { call, waiters: new Set(), late: new Set(), sent: false };
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
      signal?.addEventListener("abort", abort, { once: true });
      this.#schedule();
    });
  }

  /** Stops waiting for an entry; one that no one waits for and the SDK does not have is withdrawn. */
  #forget(entry: Entry, waiter: Waiter): void {
    entry.waiters.delete(waiter);
    entry.late.delete(waiter);
    if (entry.sent || entry.waiters.size) return;
    this.#entries.delete(entry.call.params.messageId);
    const index = this.#held.indexOf(entry);
    if (index !== -1) this.#held.splice(index, 1);
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
    if (this.#flushing) {
      if (this.#bypass && this.#held.length) {
        for (const entry of this.#held.splice(0)) this.#hand(entry);
        this.#owed = true;
      }
      return;
    }
    if (!this.#held.length && !this.#owed) return;
    const round = ++this.#round;
    const entries = this.#held.splice(0);
    this.#flushing = true;
    this.#bypass = false;
    this.#owed = false;
    this.#open = new Set(entries.map((entry) => entry.call.params.messageId));
    for (const entry of entries) this.#hand(entry);
    if (!this.#open.size) this.#armBypass(round);
    // flush() counts the calls pending right now, ours included, and sends them all.
    this.#analytics
      .flush()
      .catch(() => {})
      .then(() => {
        this.#flushing = false;
        this.#bypass = false;
        clearTimeout(this.#bypassTimer);
        this.#pump();
      });
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
        new SegmentDeliveryError(
          `Segment's client refused the ${type} call: ${error instanceof Error ? error.message : String(error)}`,
          { retryable: false, cause: error },
        ),
      );
    }
  }

  /** Records the outcome of a call the SDK had, for everyone waiting for its message id. */
  #settle(id: string | undefined, failure?: SegmentDeliveryError): void {
    const entry = id === undefined ? undefined : this.#entries.get(id);
    if (!entry?.sent) return;
    const { waiters, late } = entry;
    if (failure && late.size) {
      // A retry joined a copy that then failed: it gets its own attempt, in the next round.
      Object.assign(entry, { waiters: late, late: new Set(), sent: false });
      this.#held.push(entry);
      this.#schedule();
    } else {
      this.#entries.delete(id!);
      for (const waiter of late) waiter(failure);
    }
    for (const waiter of waiters) waiter(failure);
    if (this.#open.delete(id!) && !this.#open.size && this.#flushing) this.#armBypass(this.#round);
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
