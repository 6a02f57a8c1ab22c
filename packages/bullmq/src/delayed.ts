import type { Recipe } from "@auth-recipes/core";
import { configError } from "@auth-recipes/core/kit";
import { type Duration, toMilliseconds } from "./duration.ts";

const PKG = "bullmq";

/** Options for {@link delayed}. */
export interface DelayedOptions {
  /**
   * The delayed copy's name, so that the same factory serves a welcome now and a tips email later. The
   * name keys the job id and, through the handler context's `recipe`, the recipe's idempotency keys.
   * @default the recipe's own name
   */
  name?: string;
}

/**
 * The recipe, marked to run `delay` after its event: put it in `enqueueRecipes`, whose job for it
 * waits in BullMQ's delayed set (so it survives worker and Redis restarts like any job) until a worker
 * runs it with the event's `dispatchId`. `composeEvents` and the better-auth plugin refuse it, since only
 * a queue can wait that long. The worker must be given the same delayed recipe (the one `recipes.ts`).
 *
 * When the job runs, days later, the recipe can still decide not to act: a `shouldSend` guard (as
 * `welcomeEmail` has) that returns false when the user already did what the email asks.
 *
 * @param delay - ms, or `{ days, hours, minutes, seconds }` added up; more than 0 and at most a year.
 * @example
 * ```ts
 * export const recipes = [
 *   welcomeEmail({ transport, from }),
 *   delayed(welcomeEmail({ transport, from, render: tips }), { days: 3 }, { name: "tips-email" }),
 * ];
 * ```
 */
export function delayed<R extends Recipe>(
  recipe: R,
  delay: number | Duration,
  options: DelayedOptions = {},
): R & { delayMs: number } {
  if (typeof recipe !== "object" || recipe === null || typeof recipe.events !== "object") {
    throw configError(PKG, "delayed() takes a recipe: { name, events }");
  }
  if (typeof options !== "object" || options === null) {
    throw configError(PKG, "delayed()'s options must be an object");
  }
  const delayMs = toMilliseconds(delay, PKG, "delayed()'s delay");
  const name = options.name ?? recipe.name;
  if (typeof name !== "string" || !name) {
    throw configError(PKG, 'delayed()\'s option "name" must be a non-empty string');
  }
  return { ...recipe, name, delayMs };
}

/** The delay of each delayed recipe in a list, by name: what the enqueue gives BullMQ as `delay`. */
export function delaysOf(recipes: readonly unknown[]): ReadonlyMap<string, number> {
  const delays = new Map<string, number>();
  for (const entry of recipes) {
    if (typeof entry !== "object" || entry === null || !("events" in entry)) continue;
    const { name, delayMs } = entry as Recipe;
    if (delayMs === undefined) continue;
    // A delayMs set by hand, not by delayed(), is held to the same rules.
    delays.set(name, toMilliseconds(delayMs, PKG, `recipe "${name}"'s delayMs`));
  }
  return delays;
}
