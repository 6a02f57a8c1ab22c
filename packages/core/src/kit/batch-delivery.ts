import { prefixed } from "../config-error.ts";
import { batchTransition, initialBatchState } from "./batch-machine.ts";
import type {
  BatchCheck,
  BatchClock,
  BatchDeliveryOptions,
  BatchEffect,
  BatchEvent,
  BatchPort,
  BatchState,
  BatchTimer,
  BatchWaiter,
} from "./batch-types.ts";
import { checkOptions } from "./check-options.ts";

const positive = [(n: number) => n > 0 && n <= 2 ** 31 - 1, "a positive number of ms"] as const;

// Timers that wait for a later moment must not keep a process alive whose events have settled (what is
// still owed then goes with it); a zero-delay one is the next turn of the event loop, which it waits for.
const GLOBAL_CLOCK: BatchClock = {
  setTimeout(fire, ms) {
    const handle = setTimeout(fire, ms);
    if (ms > 0) (handle as { unref?: () => void }).unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  queueMicrotask: (fire) => queueMicrotask(fire),
};

interface Pending {
  resolve(): void;
  reject(reason: unknown): void;
  signal: AbortSignal | undefined;
  abort(): void;
}

/**
 * Delivers calls through an SDK that batches them and whose `flush()` is made for shutdown (Segment's,
 * Mixpanel's, Amplitude's, PostHog's queued mode), and tells each caller how its own calls went,
 * promptly, without ending the client, and without losing a call whose caller stopped waiting.
 *
 * Calls go out in rounds: calls that arrive while a round's flush runs are held, and handed to the SDK
 * and flushed together when it ends. A flush running after `cutAfterMs` is told to stop retrying, so a
 * round is one request; its calls cut short go into the next round. When the round's calls all have
 * their outcome and the flush still runs after `bypassAfterMs` (calls made elsewhere on the client hold
 * it open), held calls are handed over without a flush. A call nobody waits for any more is sent again
 * after a failure that may pass, up to `maxCopies` copies, the waits doubling from `retryMinMs` to
 * `retryMaxMs`. One message id is with the SDK at most once at a time. With `immediate` (a client that
 * sends each call in a request of its own) there are no rounds: calls are handed over at once.
 *
 * The states, events and effects are those of {@link batchTransition}; this class is its runner: it
 * performs the effects through the `port` and the `clock`, and feeds back what they report, one event
 * at a time (an event reported while effects run waits for them).
 *
 * @example
 * ```ts
 * const queue = new BatchDelivery<Call, MyError>({
 *   send: (call) => client.track(call),
 *   flush: (timeoutMs) => client.flush({ timeout: timeoutMs }),
 *   refused: (call, error) => new MyError(`refused: ${messageOf(error)}`),
 * });
 * client.on("delivered", (id) => queue.delivered(id));
 * client.on("failed", (id, error) => queue.failed(id, toMyError(error), { retryable: true, cut: false }));
 * client.on("drained", () => queue.drained());
 * await queue.submit([{ id: call.messageId, call }], signal);
 * ```
 */
export class BatchDelivery<Call, Failure> {
  readonly #port: BatchPort<Call, Failure>;
  readonly #clock: BatchClock;
  readonly #check: BatchCheck | undefined;
  readonly #state: BatchState<Call, Failure>;
  readonly #handles = new Map<BatchTimer, unknown>();
  readonly #pending = new Map<BatchWaiter<Failure>, Pending>();
  readonly #events: BatchEvent<Call, Failure>[] = [];
  #busy = false;
  #waiters = 0;

  /**
   * @param port How to hand a call to the SDK and flush it.
   * @param options Timings and retries; every one has a default.
   */
  constructor(port: BatchPort<Call, Failure>, options: BatchDeliveryOptions = {}) {
    // Through `unknown`: the check's assertion would narrow the typed parameters to records.
    const given: { port: unknown; options: unknown } = { port, options };
    // The port's three functions only: an adapter object may carry more of its own.
    const { send, flush, refused } = (given.port ?? {}) as Record<string, unknown>;
    checkOptions(
      "core",
      "BatchDelivery's port",
      { send, flush, refused },
      {
        send: { required: true, type: "function" },
        flush: { required: true, type: "function" },
        refused: { required: true, type: "function" },
      },
    );
    checkOptions("core", "BatchDelivery", given.options, {
      immediate: "boolean",
      cutAfterMs: { type: "number", range: positive },
      bypassAfterMs: { type: "number", range: positive },
      retryMinMs: { type: "number", range: positive },
      retryMaxMs: { type: "number", range: positive },
      maxCopies: {
        type: "number",
        range: [(n: number) => Number.isSafeInteger(n) && n >= 1, "a whole number, 1 or more"],
      },
      check: {
        type: "object",
        test: (check) =>
          typeof (check as BatchCheck).before === "function" &&
          typeof (check as BatchCheck).violation === "function",
        is: "invariant checks: { before, violation } (batchInvariants)",
      },
      clock: {
        type: "object",
        test: (clock) =>
          ["setTimeout", "clearTimeout", "queueMicrotask"].every(
            (name) => typeof (clock as Record<string, unknown>)[name] === "function",
          ),
        is: "a clock: { setTimeout, clearTimeout, queueMicrotask }",
      },
    });
    this.#port = port;
    this.#clock = options.clock ?? GLOBAL_CLOCK;
    this.#check = options.check;
    this.#state = initialBatchState({
      immediate: options.immediate ?? false,
      cutAfterMs: options.cutAfterMs ?? 750,
      bypassAfterMs: options.bypassAfterMs ?? 25,
      maxCopies: options.maxCopies ?? 10,
      retryMinMs: options.retryMinMs ?? 500,
      retryMaxMs: options.retryMaxMs ?? 30_000,
    });
  }

  /** The machine's state, to read (tests, diagnostics): it changes only through events. */
  get state(): Readonly<BatchState<Call, Failure>> {
    return this.#state;
  }

  /**
   * Queues the calls (by message id: an id already queued is joined, not sent again) and resolves once
   * every one is delivered; rejects with the first failure once every one has its outcome, or with the
   * signal's reason when it aborts. Aborting only stops the waiting: the calls are delivered all the same.
   */
  submit(calls: Iterable<{ id: string; call: Call }>, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const waiter: BatchWaiter<Failure> = { id: ++this.#waiters, ids: [], remaining: 0 };
      const abort = () => this.#on({ type: "withdrawn", waiter });
      this.#pending.set(waiter, { resolve, reject, signal, abort });
      this.#on({ type: "submitted", waiter, calls: [...calls] });
      if (!this.#pending.has(waiter)) return;
      // Checked after queueing: a caller that starts already aborted still leaves its calls to send.
      if (signal?.aborted) abort();
      else signal?.addEventListener("abort", abort, { once: true });
    });
  }

  /** The SDK delivered the call with this message id. */
  delivered(id: string): void {
    this.#on({ type: "delivered", id });
  }

  /**
   * The SDK gave up on the call with this message id. `retryable`: another copy may succeed. `cut`: it
   * gave up because the flush timed out (no verdict on the call when the machine cut the round).
   */
  failed(id: string, failure: Failure, how: { retryable: boolean; cut: boolean }): void {
    this.#on({ type: "failed", id, failure, retryable: how.retryable, cut: how.cut });
  }

  /** The SDK has no call pending. */
  drained(): void {
    this.#on({ type: "drained" });
  }

  // Every change of state goes through here, one event at a time: an event reported while effects run
  // (an SDK that reports synchronously from `send`) waits until they have all run.
  #on(event: BatchEvent<Call, Failure>): void {
    this.#events.push(event);
    if (this.#busy) return;
    this.#busy = true;
    try {
      for (let next = this.#events.shift(); next; next = this.#events.shift()) {
        const check = this.#check;
        const before = check?.before(this.#state, next);
        const effects = batchTransition(this.#state, next);
        if (check && before) {
          const broken = check.violation(this.#state, effects, before);
          if (broken) {
            this.#events.length = 0;
            throw new Error(prefixed("core", `batch delivery invariant broken: ${broken}`));
          }
        }
        for (const effect of effects) this.#perform(effect);
      }
    } finally {
      this.#busy = false;
    }
  }

  #perform(effect: BatchEffect<Call, Failure>): void {
    switch (effect.type) {
      case "send":
        try {
          this.#port.send(effect.call);
        } catch (error) {
          // The SDK checks a call synchronously and queues nothing when it refuses it.
          const failure = this.#port.refused(effect.call, error);
          this.#on({ type: "failed", id: effect.id, failure, retryable: false, cut: false });
        }
        return;
      case "flush": {
        const ended = () => this.#on({ type: "flushEnded", round: effect.round });
        let flushing: PromiseLike<unknown> | undefined;
        try {
          flushing = this.#port.flush(effect.timeoutMs);
        } catch {}
        Promise.resolve(flushing).then(ended, ended);
        return;
      }
      case "arm": {
        this.#cancel(effect.timer);
        let handle: unknown;
        const fire = () => {
          if (handle !== undefined && this.#handles.get(effect.timer) === handle) {
            this.#handles.delete(effect.timer);
          }
          this.#on({ type: "fired", timer: effect.timer, serial: effect.serial });
        };
        // A microtask cannot be cancelled: the machine ignores a firing of a timer it cleared.
        if (effect.timer === "tick") this.#clock.queueMicrotask(fire);
        else {
          handle = this.#clock.setTimeout(fire, effect.ms);
          this.#handles.set(effect.timer, handle);
        }
        return;
      }
      case "clear":
        this.#cancel(effect.timer);
        return;
      case "settle": {
        const pending = this.#pending.get(effect.waiter);
        if (!pending) return;
        this.#pending.delete(effect.waiter);
        pending.signal?.removeEventListener("abort", pending.abort);
        if (effect.outcome === "delivered") pending.resolve();
        else if (effect.outcome === "failed") pending.reject(effect.waiter.failure);
        else pending.reject(pending.signal?.reason);
        return;
      }
    }
  }

  #cancel(timer: BatchTimer): void {
    const handle = this.#handles.get(timer);
    if (handle === undefined) return;
    this.#handles.delete(timer);
    this.#clock.clearTimeout(handle);
  }
}
