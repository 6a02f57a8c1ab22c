import type { EventName, Recipe, RecipeInput } from "@auth-recipes/core";

/**
 * The recipes with only `event`'s handler left (bound to its events object, as core binds it), each
 * recipe keeping its name, timeout and retry. A better-auth sign-up fires three hooks where a test
 * dispatches one event: without this, the other two would reach the service too.
 */
export function onlyEvent(recipes: readonly RecipeInput[], event: EventName): RecipeInput[] {
  return recipes.map((entry) => {
    if (!entry || typeof entry !== "object") return entry;
    const isRecipe = "events" in entry;
    const events = (isRecipe ? (entry as Recipe).events : entry) as Record<string, unknown>;
    const handler = events?.[event];
    const kept =
      handler === undefined
        ? {}
        : { [event]: typeof handler === "function" ? handler.bind(events) : handler };
    return isRecipe ? { ...(entry as Recipe), events: kept } : kept;
  });
}
