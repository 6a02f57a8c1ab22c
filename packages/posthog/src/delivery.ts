import type { PostHog } from "posthog-node";
import { deliveryError, type PostHogDeliveryError } from "./errors.ts";

/** One event the recipe sends, with the uuid that identifies it across attempts. */
export interface PostHogCall {
  /** What the event is, for error messages: `identify`, `$set` or the captured event's kind. */
  what: string;
  distinctId: string;
  event: string;
  properties: Record<string, unknown>;
  uuid: string;
}

/** What one immediate call reported: the SDK's `error` events raised on its behalf. */
interface Attempt {
  failure?: unknown;
  failed: boolean;
}

/** The part of `AsyncLocalStorage` the delivery uses. */
interface ContextStore {
  run<R>(store: Attempt, callback: () => R): R;
  getStore(): Attempt | undefined;
}

/**
 * An `AsyncLocalStorage`, found without a static `node:` import (the package stays importable on the
 * edge runtime, which has one as a global), or `undefined` where there is none.
 */
function contextStore(): ContextStore | undefined {
  const host = globalThis as {
    process?: { getBuiltinModule?: (id: string) => unknown };
    AsyncLocalStorage?: new () => ContextStore;
  };
  try {
    const hooks = host.process?.getBuiltinModule?.("node:async_hooks") as
      | { AsyncLocalStorage?: new () => ContextStore }
      | undefined;
    const Store = hooks?.AsyncLocalStorage ?? host.AsyncLocalStorage;
    return Store ? new Store() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Sends the recipe's events on one `PostHog` client with `captureImmediate`: one request per event, sent
 * at once, so no sign-up waits behind another's request (the SDK's queue sends batches one after the
 * other, and its `flush()` waits for all of them).
 *
 * `captureImmediate` never rejects: a failed request goes to the client's `error` event, with nothing
 * that says which call it was for. The SDK emits it inside the call's own chain of promises, so each
 * call runs in an `AsyncLocalStorage` context of its own and the listener reads whose it is. Where no
 * `AsyncLocalStorage` exists, an error counts against every call in flight on the client: a call may
 * then be reported failed (and retried, with the same uuid) though it arrived, never the reverse.
 *
 * One uuid is in flight at most once: a retry of a handler whose event is still on its way (the attempt
 * timed out, the request did not) waits for that request's outcome instead of sending a copy, and
 * sends again only if it failed.
 */
class ImmediateDelivery {
  readonly #posthog: PostHog;
  readonly #store = contextStore();
  readonly #active = new Set<Attempt>();
  readonly #inflight = new Map<string, Promise<PostHogDeliveryError | undefined>>();

  constructor(posthog: PostHog) {
    this.#posthog = posthog;
    // The listener runs inside the SDK's emit; a throw there would reach the SDK.
    posthog.on("error", (error: unknown) => {
      try {
        const mine = this.#store?.getStore();
        if (mine) {
          if (!mine.failed) Object.assign(mine, { failed: true, failure: error });
        } else if (!this.#store) {
          for (const attempt of this.#active) {
            if (!attempt.failed) Object.assign(attempt, { failed: true, failure: error });
          }
        }
      } catch {}
    });
  }

  /** Sends every call at once; rejects with the first failure, or with the signal's reason on abort. */
  deliver(calls: PostHogCall[], signal?: AbortSignal): Promise<void> {
    const all = Promise.all(calls.map((call) => this.#once(call))).then((outcomes) => {
      const failure = outcomes.find((outcome) => outcome !== undefined);
      if (failure) throw failure;
    });
    if (!signal) return all;
    // Aborting stops the waiting only: the requests go on, bounded by the client's own timeout.
    return new Promise<void>((resolve, reject) => {
      const abort = () => reject(signal.reason);
      if (signal.aborted) return abort();
      signal.addEventListener("abort", abort, { once: true });
      all.then(resolve, reject).finally(() => signal.removeEventListener("abort", abort));
    });
  }

  #once(call: PostHogCall): Promise<PostHogDeliveryError | undefined> {
    const pending = this.#inflight.get(call.uuid);
    if (pending) {
      return pending.then((failure) => (failure === undefined ? undefined : this.#once(call)));
    }
    const sending = this.#send(call).finally(() => this.#inflight.delete(call.uuid));
    this.#inflight.set(call.uuid, sending);
    return sending;
  }

  async #send(call: PostHogCall): Promise<PostHogDeliveryError | undefined> {
    const attempt: Attempt = { failed: false };
    const { distinctId, event, properties, uuid } = call;
    const send = () => this.#posthog.captureImmediate({ distinctId, event, properties, uuid });
    this.#active.add(attempt);
    try {
      await (this.#store ? this.#store.run(attempt, send) : send());
    } catch (error) {
      if (!attempt.failed) Object.assign(attempt, { failed: true, failure: error });
    } finally {
      this.#active.delete(attempt);
    }
    return attempt.failed ? deliveryError(attempt.failure, call.what) : undefined;
  }
}

// One delivery per client, shared by every recipe that uses it: one `error` listener each.
const deliveries = new WeakMap<PostHog, ImmediateDelivery>();

/**
 * Sends the events of one auth event, each in its own request, and waits until PostHog accepted them
 * all, or one failed (rejects with a {@link PostHogDeliveryError}), or the signal aborts.
 */
export function deliver(
  posthog: PostHog,
  calls: PostHogCall[],
  signal?: AbortSignal,
): Promise<void> {
  let delivery = deliveries.get(posthog);
  if (!delivery) {
    delivery = new ImmediateDelivery(posthog);
    deliveries.set(posthog, delivery);
  }
  return delivery.deliver(calls, signal);
}

/** Hands the events to the client's queue and returns at once: the SDK sends them on its schedule. */
export function enqueue(posthog: PostHog, calls: PostHogCall[]): void {
  for (const { distinctId, event, properties, uuid } of calls) {
    posthog.capture({ distinctId, event, properties, uuid });
  }
}
