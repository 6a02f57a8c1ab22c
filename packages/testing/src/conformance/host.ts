import type { ComposeOptions, EventMessages, EventName, RecipeInput } from "@auth-recipes/core";
import { composeEvents } from "@auth-recipes/core";
import { prefixed } from "@auth-recipes/core/kit";

/**
 * How an auth library runs recipes, for the conformance suite: every check dispatches its events
 * through the host, so the same checks hold a recipe to account under next-auth, better-auth or any
 * other library that runs recipes with core's semantics.
 *
 * A host only runs the event: it hands the recipes and the `options` it receives to its library
 * unchanged (their `onError`, `onSettled` and `waitUntil` are the suite's, and record what core
 * reports), makes the library fire the event, and resolves with how long the library made the sign-in
 * wait. The suite assembles the report and the errors, and fails a check whose host reported nothing.
 *
 * @example
 * ```ts
 * import { composeEvents } from "@auth-recipes/core";
 * import type { RecipeHost } from "@auth-recipes/testing";
 *
 * // next-auth with Vercel's waitUntil: the sign-in does not wait for the recipes, the platform does.
 * const deferred: RecipeHost = {
 *   name: "next-auth (waitUntil)",
 *   async dispatch(recipes, event, message, options) {
 *     const handedOver: Promise<unknown>[] = [];
 *     const events = composeEvents(recipes, {
 *       ...options,
 *       waitUntil: (promise) => void handedOver.push(promise),
 *     });
 *     const started = performance.now();
 *     await events[event]?.(message as never);
 *     const durationMs = performance.now() - started;
 *     await Promise.all(handedOver); // as the platform keeps the function alive until they settle
 *     return { durationMs };
 *   },
 * };
 * testRecipe({ ...config, host: deferred });
 * ```
 */
export interface RecipeHost {
  /** The host's name, as the test titles show it, such as `"next-auth"`. */
  name: string;
  /**
   * Runs one event through the recipes as the host's library would, with `options` passed to the
   * library unchanged, and resolves once every handler settled with `durationMs`: how long the library
   * made the sign-in wait, in ms (not counting the host's own setup, such as building the library).
   */
  dispatch<E extends EventName>(
    recipes: readonly RecipeInput[],
    event: E,
    message: EventMessages[E],
    options: ComposeOptions,
  ): Promise<{ durationMs: number }>;
}

/**
 * The default host: next-auth, which calls the composed `events` callback and awaits it. Throws a
 * `TypeError` when no recipe handles the event.
 *
 * @example
 * ```ts
 * import { dispatchThrough, nextAuthHost } from "@auth-recipes/testing";
 *
 * // What dispatchEvent(recipes, "createUser", message) does.
 * const { report, errors } = await dispatchThrough(nextAuthHost, recipes, "createUser", message);
 * ```
 */
export const nextAuthHost: RecipeHost = {
  name: "next-auth",
  async dispatch(recipes, event, message, options) {
    const callback = composeEvents(recipes, options)[event] as
      | ((message: unknown) => Promise<void>)
      | undefined;
    if (!callback) throw new TypeError(prefixed("testing", `no recipe handles ${event}`));
    const started = performance.now();
    await callback(message);
    return { durationMs: performance.now() - started };
  },
};

/** The config's host (next-auth unless given), checked: a name and a dispatch function. */
export function hostOf(config: { host?: RecipeHost | undefined }): RecipeHost {
  const host = config.host === undefined ? nextAuthHost : config.host;
  if (
    typeof host !== "object" ||
    host === null ||
    typeof host.name !== "string" ||
    !host.name ||
    typeof host.dispatch !== "function"
  ) {
    throw new TypeError(
      prefixed(
        "testing",
        'option "host" must be an object with a "name" and a "dispatch" function',
      ),
    );
  }
  return host;
}
