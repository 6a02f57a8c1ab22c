// Hosts other than the default, for the suite's own tests: one that runs as next-auth does with
// Vercel's waitUntil (the callback resolves at once, the handlers settle later), and broken ones, each
// losing one thing a host must report, so that the checks can be shown to depend on the host.
import { dispatchEvent, type RecipeHost } from "../../src/index.ts";

/** next-auth with `waitUntil`: counts the dispatches and the promises it was handed. */
export function waitUntilHost(): RecipeHost & { dispatches: number; handedOver: number } {
  const host = {
    name: "next-auth (waitUntil)",
    dispatches: 0,
    handedOver: 0,
    dispatch: ((recipes, event, message, options) => {
      host.dispatches++;
      return dispatchEvent(recipes, event, message, {
        ...options,
        waitUntil: () => {
          host.handedOver++;
        },
      });
    }) as RecipeHost["dispatch"],
  };
  return host;
}

/** A host that runs the recipes but never passes their errors on. */
export const errorLosingHost: RecipeHost = {
  name: "error-losing host",
  dispatch: async (recipes, event, message, options) => ({
    ...(await dispatchEvent(recipes, event, message, options)),
    errors: [],
  }),
};

/** A host that handles nothing: it reports no result for any recipe. */
export const idleHost: RecipeHost = {
  name: "idle",
  dispatch: async (_recipes, event) => ({
    report: { event, dispatchId: "idle", durationMs: 0, results: [] },
    errors: [],
    durationMs: 0,
  }),
};
