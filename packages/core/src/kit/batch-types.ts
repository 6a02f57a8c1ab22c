// The vocabulary of the batch delivery machine: its states, the events it is told, the effects it asks
// for and the port through which an adapter performs them. No SDK's names: the adapter maps its SDK's.

/**
 * What the queue does with a call that arrives now:
 * - `idle`: no round; the call is held for a moment, so that calls made in the same tick share a round.
 * - `backingOff`: the only held calls are copies nobody waits for, waiting out their backoff; a call
 *   someone waits for starts the next round at once and takes them along.
 * - `flushing`: a round is open (its calls handed to the SDK and a flush running); the call is held
 *   for the next round.
 * - `bypassing`: a round is open, every call of it has its outcome, and the flush is held open by calls
 *   made elsewhere on the client; the call is handed to the SDK at once and the next flush sends it.
 */
export type BatchPhase = "idle" | "backingOff" | "flushing" | "bypassing";

/**
 * How far the open round's flush is:
 * - `running`: the flush runs and the SDK still retries failed batches;
 * - `drained`: the SDK said it has nothing pending; the flush ends the round when it resolves;
 * - `cut`: the flush outlasted `cutAfterMs`, so the SDK stopped retrying; the round ends once the SDK
 *   has nothing pending (the request in flight has ended);
 * - `cutDrained`: cut, and the SDK has nothing pending: the round ends on the next turn of the event
 *   loop, once the SDK's own flush is over.
 */
export type BatchFlushState = "running" | "drained" | "cut" | "cutDrained";

/**
 * Where one message id is:
 * - `held`: waiting for the next round (or the backoff), not with the SDK;
 * - `inRound`: with the SDK, in the open round, no outcome yet;
 * - `owed`: handed to the SDK during a bypass: with it, but not yet in a flush, so the next round flushes it;
 * - `sent`: with the SDK, no flush owed (its round ended, or the client sends each call by itself).
 */
export type BatchEntryState = "held" | "inRound" | "owed" | "sent";

/** The machine's timers, each armed at most once at a time. */
export type BatchTimer = "tick" | "cut" | "bypass" | "afterDrain" | "backoff";

/** Someone waiting for the outcome of a group of message ids (one `submit`). */
export interface BatchWaiter<Failure> {
  readonly id: number;
  /** The message ids it waits for. */
  readonly ids: string[];
  /** Entries that still owe this waiter an outcome. */
  remaining: number;
  /** The first failure reported for one of its ids. */
  failure?: Failure;
}

/** One message id: its call, who waits for it, where it is. */
export interface BatchEntry<Call, Failure> {
  readonly id: string;
  readonly call: Call;
  state: BatchEntryState;
  /** Who waits for the copy with the SDK (or, while held, for the next copy). */
  waiters: Set<BatchWaiter<Failure>>;
  /** Who started waiting after the copy was handed over: a failure of that copy sends another for them. */
  late: Set<BatchWaiter<Failure>>;
  /** Copies that failed so far. */
  failures: number;
}

/** The open round. */
export interface BatchRound {
  readonly n: number;
  flush: BatchFlushState;
  /** Its entries still `inRound`: when none is left, the bypass timer starts. */
  open: number;
}

/** The timing and retry settings of a {@link BatchDelivery}. */
export interface BatchDeliveryOptions {
  /**
   * The client sends each call in a request of its own as soon as it has it: calls are handed over at
   * once and never flushed, so no call waits behind another's request.
   * @default false
   */
  immediate?: boolean;
  /**
   * How long a round's flush runs before the SDK is told to stop retrying (the flush's own timeout), in
   * ms: a round is then one request, and calls held meanwhile wait for at most that request.
   * @default 750
   */
  cutAfterMs?: number;
  /**
   * How long a flush may outlast the outcomes of its round's calls before held calls are handed over
   * without it (calls made elsewhere on the client hold it open), in ms.
   * @default 25
   */
  bypassAfterMs?: number;
  /**
   * Copies of a call nobody waits for any more that are sent after failures that may pass, at most.
   * @default 10
   */
  maxCopies?: number;
  /**
   * The first wait before such copies go again, in ms; it doubles after every backoff with no delivery.
   * @default 500
   */
  retryMinMs?: number;
  /**
   * The longest wait before such copies go again, in ms.
   * @default 30000
   */
  retryMaxMs?: number;
  /**
   * Checks the machine's invariants after every transition and throws on the first broken one (a bug
   * in the machine or in the adapter's reports): pass `batchInvariants`. For tests: it walks every
   * entry on every event, and leaving it out keeps its code out of a bundle.
   * @default no check
   */
  check?: BatchCheck;
  /** The timers, for tests. @default globalThis's `setTimeout`, `clearTimeout` and `queueMicrotask` */
  clock?: BatchClock;
}

/** What a transition started from, for the checks of its effects. */
export interface BatchBefore {
  /** The ids held before: the only ones a transition may send. */
  held: ReadonlySet<string>;
  /** The waiters pending before, and the one submitted: the only ones a transition may settle. */
  waiters: ReadonlySet<unknown>;
}

/** Invariant checks a runner makes around every transition (the kit's are `batchInvariants`). */
export interface BatchCheck {
  /** Notes what the transition of `event` starts from. */
  before<Call, Failure>(
    state: BatchState<Call, Failure>,
    event: BatchEvent<Call, Failure>,
  ): BatchBefore;
  /** The first rule the state after it (and its effects) breaks, in words, or `undefined`. */
  violation<Call, Failure>(
    state: BatchState<Call, Failure>,
    effects: readonly BatchEffect<Call, Failure>[],
    before: BatchBefore,
  ): string | undefined;
}

/** The machine's settings, defaults applied. */
export type BatchSettings = Required<Omit<BatchDeliveryOptions, "clock" | "check">>;

/** The whole state of the machine: every field changes only in {@link batchTransition}. */
export interface BatchState<Call, Failure> {
  readonly settings: BatchSettings;
  phase: BatchPhase;
  /** The open round, exactly when `phase` is `flushing` or `bypassing`. */
  round: BatchRound | undefined;
  /** Rounds started so far: the number of the next round's predecessor. */
  rounds: number;
  /** Every message id someone waits for or the queue still has to deliver. */
  readonly entries: Map<string, BatchEntry<Call, Failure>>;
  /** The `held` entries, in the order they were held. */
  held: BatchEntry<Call, Failure>[];
  /** Waiters not settled yet. */
  readonly waiters: Set<BatchWaiter<Failure>>;
  /** Backoffs since the last delivery: the next backoff waits `retryMinMs × 2^backoffs`. */
  backoffs: number;
  /** Armed timers, each with the serial of its arming: a firing of an older arming is stale. */
  readonly timers: Map<BatchTimer, number>;
  serial: number;
}

/** What the adapter tells the machine, and what its timers and port report. */
export type BatchEvent<Call, Failure> =
  | {
      type: "submitted";
      waiter: BatchWaiter<Failure>;
      /** Distinct message ids with their calls. */
      calls: ReadonlyArray<{ id: string; call: Call }>;
    }
  /** The waiter stops waiting (its signal aborted): its calls are still delivered. */
  | { type: "withdrawn"; waiter: BatchWaiter<Failure> }
  | { type: "delivered"; id: string }
  | {
      type: "failed";
      id: string;
      failure: Failure;
      /** Whether another copy may succeed. */
      retryable: boolean;
      /** The SDK stopped retrying it because the flush timed out: no verdict, if the round was cut. */
      cut: boolean;
    }
  /** The SDK has nothing pending. */
  | { type: "drained" }
  /** The flush of round `round` resolved or rejected. */
  | { type: "flushEnded"; round: number }
  | { type: "fired"; timer: BatchTimer; serial: number };

/** What the machine asks its runner to do, in order, after a transition. */
export type BatchEffect<Call, Failure> =
  | { type: "send"; id: string; call: Call }
  | { type: "flush"; round: number; timeoutMs: number }
  | { type: "arm"; timer: BatchTimer; ms: number; serial: number }
  | { type: "clear"; timer: BatchTimer }
  | { type: "settle"; waiter: BatchWaiter<Failure>; outcome: "delivered" | "failed" | "withdrawn" };

/**
 * What the machine needs of the SDK, supplied by the adapter. The adapter reports the SDK's outcomes by
 * message id with {@link BatchDelivery.delivered}, {@link BatchDelivery.failed} and
 * {@link BatchDelivery.drained}.
 */
export interface BatchPort<Call, Failure> {
  /** Hands one call to the SDK's batch. A throw means the SDK refused it and queued nothing. */
  send(call: Call): void;
  /** Flushes the SDK's batch, telling it to stop retrying after `timeoutMs`; settles when it ends. */
  flush(timeoutMs: number): PromiseLike<unknown>;
  /** The failure of a call the SDK refused with `error` (reported as not retryable). */
  refused(call: Call, error: unknown): Failure;
}

/** The timers a {@link BatchDelivery} uses; a fake one in tests. */
export interface BatchClock {
  setTimeout(fire: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  queueMicrotask(fire: () => void): void;
}
