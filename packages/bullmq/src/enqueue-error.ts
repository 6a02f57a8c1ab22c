import type { HandlerResult } from "@auth-recipes/core";
import { UpstreamError } from "@auth-recipes/core/kit";
import { describe } from "./attempts.ts";

/**
 * The queue could not take a dispatch's jobs before the deadline. Thrown by the handler of the recipe
 * {@link enqueueRecipes} returns, so your `composeEvents` `onError` receives it (as a `RecipeError`'s
 * `cause`) once per dispatch. Never retried by core (`retryable: false`): unless `fallback` is `false`,
 * the recipes have already run in-process, and a second enqueue would run them twice.
 */
export class EnqueueError extends UpstreamError {
  override name = "EnqueueError";
  /** `true` when the recipes ran in-process instead (their outcomes in `results`); `false` when they were dropped (`fallback: false`). */
  declare readonly ranInline: boolean;
  /** The recipes whose jobs were not enqueued. */
  declare readonly recipes: readonly string[];
  /** When `ranInline`, each recipe's outcome in-process (a failed one's `RecipeError` included). */
  declare readonly results: readonly HandlerResult[] | undefined;

  constructor(options: {
    ranInline: boolean;
    recipes: readonly string[];
    results?: readonly HandlerResult[];
    cause: unknown;
  }) {
    const { ranInline, recipes, results, cause } = options;
    const done = ranInline
      ? `ran ${recipes.join(", ")} in-process${outcomes(results)}`
      : `dropped ${recipes.join(", ")}`;
    // An UpstreamError: redacted, and kept as it is as a RecipeError's cause (its fields are safe to log);
    // the queue's own error stays out of logs, as `unsafeCause`. Never retried: see above.
    super("bullmq", `could not enqueue (${describe(cause)}); ${done}`, { retryable: false, cause });
    Object.assign(this, { ranInline, recipes, results });
  }
}

function outcomes(results: readonly HandlerResult[] | undefined): string {
  const failed = results?.filter((result) => result.status === "rejected") ?? [];
  return failed.length ? ` (failed: ${failed.map((result) => result.recipe).join(", ")})` : "";
}
