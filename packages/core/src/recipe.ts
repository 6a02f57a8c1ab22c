import type { EventMessages, EventName } from "./events.ts";
import type { RetryOptions } from "./retry.ts";
import type { Skip } from "./skip.ts";

/** A value or a promise of it. */
export type Awaitable<T> = T | PromiseLike<T>;

/** What a handler receives besides the message: which attempt this is and how long it has. */
export interface HandlerContext<E extends EventName = EventName> {
  /** The event being handled. */
  event: E;
  /** The name of the recipe the handler belongs to. */
  recipe: string;
  /** The attempt number, counting from 1. */
  attempt: number;
  /** Aborts when this attempt times out; pass it to `fetch`, `sendMail` and other I/O. */
  signal: AbortSignal;
  /**
   * When this attempt times out, in ms since the epoch (`Infinity` without a timeout), for SDKs that take
   * a timeout instead of a signal: `timeout: deadline - Date.now()`.
   */
  deadline: number;
  /**
   * One id per composed call, the same for every attempt and every recipe of that call: derive
   * idempotency keys and message ids from it so a retry is not counted twice.
   */
  dispatchId: string;
}

/**
 * A handler for one event. Return nothing when done, {@link skip | skip(reason)} when it chose not to act;
 * throw (or reject) on failure.
 */
export type Handler<E extends EventName = EventName> = (
  message: EventMessages[E],
  context: HandlerContext<E>,
) => Awaitable<void | Skip>;

/**
 * The handlers of a recipe, one per event it handles. Declared as methods so that handlers typed with
 * next-auth's own (narrower) message types fit too.
 */
export interface RecipeEvents {
  signIn?(
    message: EventMessages["signIn"],
    context: HandlerContext<"signIn">,
  ): Awaitable<void | Skip>;
  signOut?(
    message: EventMessages["signOut"],
    context: HandlerContext<"signOut">,
  ): Awaitable<void | Skip>;
  createUser?(
    message: EventMessages["createUser"],
    context: HandlerContext<"createUser">,
  ): Awaitable<void | Skip>;
  updateUser?(
    message: EventMessages["updateUser"],
    context: HandlerContext<"updateUser">,
  ): Awaitable<void | Skip>;
  linkAccount?(
    message: EventMessages["linkAccount"],
    context: HandlerContext<"linkAccount">,
  ): Awaitable<void | Skip>;
  session?(
    message: EventMessages["session"],
    context: HandlerContext<"session">,
  ): Awaitable<void | Skip>;
}

/**
 * A plain next-auth `events` object, as users write it today: accepted by `composeEvents` as a recipe
 * named `events[<index>]`.
 */
export interface PlainEvents {
  signIn?(message: EventMessages["signIn"]): Awaitable<unknown>;
  signOut?(message: EventMessages["signOut"]): Awaitable<unknown>;
  createUser?(message: EventMessages["createUser"]): Awaitable<unknown>;
  updateUser?(message: EventMessages["updateUser"]): Awaitable<unknown>;
  linkAccount?(message: EventMessages["linkAccount"]): Awaitable<unknown>;
  session?(message: EventMessages["session"]): Awaitable<unknown>;
}

/** A named set of event handlers with its own timeout and retry policy. */
export interface Recipe {
  /** Unique among the recipes composed together; shows in errors and reports. */
  name: string;
  /** The handlers, one per event. */
  events: RecipeEvents;
  /** Bounds each attempt of this recipe's handlers, overriding `ComposeOptions.timeoutMs`. */
  timeoutMs?: number;
  /** This recipe's retry policy, overriding `ComposeOptions.retry`. */
  retry?: boolean | RetryOptions;
  /**
   * Run this recipe this many ms after its event, not at once: set by `delayed()` from
   * `@auth-recipes/bullmq`. Only a durable queue can wait that long, so `composeEvents` and the
   * better-auth plugin refuse a recipe that has it; `enqueueRecipes` honours it.
   * @default undefined (at once)
   */
  delayMs?: number;
}

/**
 * Returns its argument, typed: the handlers' messages and contexts are inferred per event.
 *
 * @example
 * ```ts
 * export const audit = defineRecipe({
 *   name: "audit",
 *   events: { createUser: async ({ user }, { signal }) => { await log(user.id, { signal }); } },
 * });
 * ```
 */
export function defineRecipe<R extends Recipe>(recipe: R): R {
  return recipe;
}
