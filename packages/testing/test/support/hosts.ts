// Hosts other than the default, for the suite's own tests: one that runs as next-auth does with
// Vercel's waitUntil (the callback resolves at once, the handlers settle later), and broken ones, each
// losing one thing a host must pass on or report, so that the checks can be shown to depend on the host.
import { nextAuthHost, type RecipeHost } from "../../src/index.ts";

/** next-auth with `waitUntil`: counts the dispatches and the promises it was handed. */
export function waitUntilHost(): RecipeHost & { dispatches: number; handedOver: number } {
  const host = {
    name: "next-auth (waitUntil)",
    dispatches: 0,
    handedOver: 0,
    dispatch: (async (recipes, event, message, options) => {
      host.dispatches++;
      const settling: Promise<unknown>[] = [];
      const ran = await nextAuthHost.dispatch(recipes, event, message, {
        ...options,
        waitUntil: (promise) => {
          host.handedOver++;
          settling.push(promise);
        },
      });
      // The platform keeps the function alive until the handed-over work settles.
      await Promise.all(settling);
      return ran;
    }) as RecipeHost["dispatch"],
  };
  return host;
}

/** A host that runs the recipes but never passes their errors on. */
export const errorLosingHost: RecipeHost = {
  name: "error-losing host",
  dispatch: (recipes, event, message, options) =>
    nextAuthHost.dispatch(recipes, event, message, { ...options, onError: () => {} }),
};

/** A host that runs the recipes with options of its own, losing the suite's recording ones. */
export const optionsLosingHost: RecipeHost = {
  name: "options-losing",
  dispatch: (recipes, event, message) =>
    nextAuthHost.dispatch(recipes, event, message, { timeoutMs: 5_000 }),
};

/** A host that hands the recipes to a waitUntil of its own and returns before they settle. */
export const waitUntilLosingHost: RecipeHost = {
  name: "waitUntil-losing",
  dispatch: (recipes, event, message, options) =>
    nextAuthHost.dispatch(recipes, event, message, { ...options, waitUntil: () => {} }),
};

/** A host that handles nothing: it never runs the recipes. */
export const idleHost: RecipeHost = {
  name: "idle",
  dispatch: async () => ({ durationMs: 0 }),
};
