import type { ComposeOptions, EventMessages, EventName, RecipeInput } from "@auth-recipes/core";
import { prefixed } from "@auth-recipes/core/kit";
import { type DispatchedEvent, dispatchEvent } from "../dispatch.ts";

/**
 * How an auth library runs recipes, for the conformance suite: every check dispatches its events
 * through the host, so the same checks hold a recipe to account under next-auth, better-auth or any
 * other library that runs recipes with core's semantics. A host resolves once every handler settled
 * (waiting for what it handed to `waitUntil`, if it hands anything over), with core's report and errors.
 *
 * @example
 * ```ts
 * // next-auth with Vercel's waitUntil: the sign-in does not wait for the recipes.
 * const deferred: RecipeHost = {
 *   name: "next-auth (waitUntil)",
 *   dispatch: (recipes, event, message, options) =>
 *     dispatchEvent(recipes, event, message, { ...options, waitUntil: (promise) => void promise }),
 * };
 * testRecipe({ ...config, host: deferred });
 * ```
 */
export interface RecipeHost {
  /** The host's name, as the test titles show it, such as `"next-auth"`. */
  name: string;
  /** Runs one event through the recipes as the host's library would, and reports what core saw. */
  dispatch<E extends EventName>(
    recipes: readonly RecipeInput[],
    event: E,
    message: EventMessages[E],
    options?: ComposeOptions,
  ): Promise<DispatchedEvent>;
}

/**
 * The default host: next-auth, which calls the composed `events` callback and awaits it
 * ({@link dispatchEvent}).
 */
export const nextAuthHost: RecipeHost = {
  name: "next-auth",
  dispatch: dispatchEvent,
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
