import { composeEvents, EVENT_NAMES } from "@auth-recipes/core";
import type { Emulator } from "../emulator/types.ts";
import type { RecipeTestConfig } from "./config.ts";
import { describeError, fail } from "./errors.ts";
import { build, defaultEvents, prepare } from "./harness.ts";

/**
 * The recipe is valid: it has the expected name, handles only next-auth's events, with functions, and
 * `composeEvents` accepts it.
 */
export async function checkRecipeShape<E extends Emulator, O extends object>(
  config: RecipeTestConfig<E, O>,
  emulator: E,
): Promise<void> {
  await prepare(emulator);
  const recipe = build(config, emulator);
  if (recipe.name !== config.name) {
    fail(
      `the recipe is named ${JSON.stringify(recipe.name)}, expected ${JSON.stringify(config.name)}`,
    );
  }
  const keys = Object.keys(recipe.events);
  const unknown = keys.filter((key) => !(EVENT_NAMES as readonly string[]).includes(key));
  if (unknown.length) {
    fail(
      `the recipe has unknown event(s) ${unknown.map((key) => JSON.stringify(key)).join(", ")}; next-auth's events are ${EVENT_NAMES.join(", ")}`,
    );
  }
  for (const key of keys) {
    const handler = (recipe.events as Record<string, unknown>)[key];
    if (handler !== undefined && typeof handler !== "function") {
      fail(`the ${key} handler is ${typeof handler}, not a function`);
    }
  }
  const handled = defaultEvents(recipe);
  if (!handled.length) fail("the recipe handles no event");
  let composed: Record<string, unknown>;
  try {
    composed = composeEvents([recipe]);
  } catch (error) {
    fail(`composeEvents rejects the recipe: ${describeError(error)}`);
  }
  if (Object.keys(composed).join() !== handled.join()) {
    fail(`composeEvents made ${Object.keys(composed).join(", ")} of ${handled.join(", ")}`);
  }
}
