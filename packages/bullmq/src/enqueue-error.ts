import type { HandlerResult } from "@auth-recipes/core";
import { UpstreamError } from "@auth-recipes/core/kit";
import { describe } from "./attempts.ts";

/**
 * The queue could not take a dispatch's jobs before the deadline. Thrown by the handler of the recipe
 * {@link enqueueRecipes} returns, so your `composeEvents` `onError` receives it (as a `RecipeError`'s
 * `cause`) once per dispatch. Never retried by core (`retryable: false`): with `fallback: "inline"` the
 * recipes have already run in-process, and a second enqueue would run them twice.
 */
export class EnqueueError extends UpstreamError {
  override name = "EnqueueError";
  /** What was done instead: `"inline"` ran the recipes in-process, `"none"` dropped them. */
  declare readonly fallback: "inline" | "none";
  /** The recipes whose jobs were not enqueued. */
  declare readonly recipes: readonly string[];
  /** With `fallback: "inline"`, each recipe's outcome in-process (a failed one's `RecipeError` included). */
  declare readonly results: readonly HandlerResult[] | undefined;

  constructor(options: {
    fallback: "inline" | "none";
    recipes: readonly string[];
    results?: readonly HandlerResult[];
    cause: unknown;
  }) {
    const { fallback, recipes, results, cause } = options;
    const done =
      fallback === "inline"
        ? `ran ${recipes.join(", ")} in-process${outcomes(results)}`
        : `dropped ${recipes.join(", ")}`;
    // An UpstreamError: redacted, and kept as it is as a RecipeError's cause (its fields are safe to log);
    // the queue's own error stays out of logs, as `unsafeCause`. Never retried: see above.
    super("bullmq", `could not enqueue (${describe(cause)}); ${done}`, { retryable: false, cause });
    Object.assign(this, { fallback, recipes, results });
  }
}

function outcomes(results: readonly HandlerResult[] | undefined): string {
  const failed = results?.filter((result) => result.status === "rejected") ?? [];
  return failed.length ? ` (failed: ${failed.map((result) => result.recipe).join(", ")})` : "";
}
