import { BatchDelivery, messageOf } from "@auth-recipes/core/kit";
import type { Analytics, IdentifyParams, TrackParams } from "@segment/analytics-node";
import { clientSecrets, deliveryError, SegmentDeliveryError } from "./errors.ts";

/** One call the recipe makes, with the message id that identifies it across attempts. */
export type SegmentCall =
  | { type: "identify"; params: IdentifyParams & { messageId: string } }
  | { type: "track"; params: TrackParams & { messageId: string } };

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

/** Hands one call to the SDK; the SDK validates it synchronously and throws when it refuses it. */
function hand(analytics: Analytics, { type, params }: SegmentCall): void {
  if (type === "identify") analytics.identify(params);
  else analytics.track(params);
}

/**
 * Delivers the recipe's calls on one `Analytics` client and tells each caller how its own calls went,
 * promptly, without ending the client, and without losing a call whose caller stopped waiting: the
 * kit's `BatchDelivery` machine, with Segment's SDK as its port.
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
function deliveryQueue(analytics: Analytics): BatchDelivery<SegmentCall, SegmentDeliveryError> {
  const secrets = clientSecrets(analytics);
  const queue = new BatchDelivery<SegmentCall, SegmentDeliveryError>(
    {
      send: (call) => hand(analytics, call),
      // flush() counts the calls pending right now, ours included, and sends them all.
      flush: (timeout) => analytics.flush({ timeout }),
      refused: (call, error) =>
        new SegmentDeliveryError(
          `Segment's client refused the ${call.type} call: ${messageOf(error)}`,
          { retryable: false, cause: error },
        ),
    },
    {
      immediate: sendsEachCall(analytics),
      cutAfterMs: CUT_AFTER_MS,
      bypassAfterMs: BYPASS_AFTER_MS,
      maxCopies: MAX_COPIES,
      retryMinMs: RETRY_MIN_MS,
      retryMaxMs: RETRY_MAX_MS,
    },
  );
  // Listeners run inside the SDK's dispatch; a throw there would become an SDK error event.
  const delivered = (ctx: { event: { messageId?: string } }) => {
    try {
      const id = ctx.event.messageId;
      if (typeof id === "string") queue.delivered(id);
    } catch {}
  };
  analytics.on("identify", delivered);
  analytics.on("track", delivered);
  analytics.on("error", (error) => {
    try {
      const id = error.ctx?.event.messageId;
      if (typeof id !== "string") return;
      const reason = error.reason;
      const failure = deliveryError(reason, secrets);
      queue.failed(id, failure, {
        retryable: failure.retryable,
        // messageOf: a reason whose message getter throws is still reported, as no cut.
        cut: reason instanceof Error && messageOf(reason) === CUT_REASON,
      });
    } catch {}
  });
  analytics.on("drained", () => {
    try {
      queue.drained();
    } catch {}
  });
  // `closeAndFlush()` ends the client: a call made after it is dropped with only this event.
  analytics.on("call_after_close", (event) => {
    try {
      const id = event.messageId;
      if (typeof id !== "string") return;
      const failure = new SegmentDeliveryError(
        "Segment's Analytics client was closed before the call",
        { retryable: false },
      );
      queue.failed(id, failure, { retryable: false, cut: false });
    } catch {}
  });
  return queue;
}

// One queue per client, shared by every recipe that uses it: two queues would flush over each other.
const queues = new WeakMap<Analytics, BatchDelivery<SegmentCall, SegmentDeliveryError>>();

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
    queue = deliveryQueue(analytics);
    queues.set(analytics, queue);
  }
  return queue.submit(
    calls.map((call) => ({ id: call.params.messageId, call })),
    signal,
  );
}

/** Hands the calls to the client and returns at once: the SDK sends them on its own schedule. */
export function send(analytics: Analytics, calls: SegmentCall[]): void {
  for (const call of calls) hand(analytics, call);
}
