import { configError } from "./config-error.ts";
import type { Recipe } from "./recipe.ts";

/**
 * Throws when a recipe in the list is marked to run later (its `delayMs` is set, as `delayed()` from
 * `@auth-recipes/bullmq` sets it): in-process hosts (`composeEvents`, the better-auth plugin) cannot keep
 * a recipe waiting for days, through restarts and deploys, so they refuse it at configuration time with
 * an error that says where it belongs. The queue's own hosts (`enqueueRecipes`, the worker) accept it.
 *
 * @example
 * ```ts
 * refuseDelayed(recipes, "better-auth"); // before composing them
 * ```
 */
export function refuseDelayed(recipes: readonly unknown[], pkg: string): void {
  if (!Array.isArray(recipes)) return;
  recipes.forEach((entry, index) => {
    if (typeof entry !== "object" || entry === null || !("events" in entry)) return;
    const { name, delayMs } = entry as Partial<Recipe>;
    if (delayMs === undefined) return;
    const label = typeof name === "string" && name ? `recipe "${name}"` : `recipes[${index}]`;
    throw configError(
      pkg,
      `${label} is delayed (delayMs: ${String(delayMs)}), and only a queue can wait that long: ` +
        "put it in enqueueRecipes([...], { queue }) from @auth-recipes/bullmq, whose workers run it when it is due",
    );
  });
}
