import type { RecipeError } from "./errors.ts";
import { oneLine } from "./redact.ts";

/**
 * The `onError` every host of recipes uses when given none (`composeEvents`, the kit's `runHandler`, a
 * queue worker): one line on the console with the recipe, the event and the cause's redacted message,
 * never the event's payload. One line always: a line break in a recipe's name or a cause's message
 * (`\n[auth-recipes] …`) is escaped, so it cannot forge a second log line.
 *
 * @example
 * ```ts
 * startRecipeWorker(recipes, { connection, onError: (error) => { metrics.increment("recipe.failed"); defaultOnError(error); } });
 * ```
 */
export function defaultOnError(error: RecipeError): void {
  console.error(`[auth-recipes] ${oneLine(error.message)}`);
}
