import type { Recipe } from "../recipe.ts";

/**
 * `recipe` with the `timeoutMs` and `retry` a user gave its factory, each set only when given, so that
 * an absent one falls back to `composeEvents`' (or the worker's) own. Every recipe ends with it.
 *
 * @example
 * ```ts
 * return withRecipeOptions({ name: "slack", events }, options);
 * ```
 */
export function withRecipeOptions<R extends Recipe>(
  recipe: R,
  options: Pick<Recipe, "timeoutMs" | "retry">,
): R {
  if (options.timeoutMs !== undefined) recipe.timeoutMs = options.timeoutMs;
  if (options.retry !== undefined) recipe.retry = options.retry;
  return recipe;
}
