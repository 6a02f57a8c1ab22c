import type { DispatchReport } from "@auth-recipes/core";
import { redact } from "@auth-recipes/core/kit";

/**
 * The queue could not take a dispatch's jobs before the deadline. Thrown by the handler of the recipe
 * {@link enqueueRecipes} returns, so your `composeEvents` `onError` receives it (as a `RecipeError`'s
 * `cause`) once per dispatch. Never retried by core (`retryable: false`): with `fallback: "inline"` the
 * recipes have already run in-process, and a second enqueue would run them twice.
 */
export class EnqueueError extends Error {
  override name = "EnqueueError";
  /** Never retry an enqueue that already fell back. */
  readonly retryable = false;
  /** What was done instead: `"inline"` ran the recipes in-process, `"none"` dropped them. */
  declare readonly fallback: "inline" | "none";
  /** The recipes whose jobs were not enqueued. */
  declare readonly recipes: readonly string[];
  /** With `fallback: "inline"`, the in-process dispatch's report: each recipe's outcome. */
  declare readonly report: DispatchReport | undefined;

  constructor(options: {
    fallback: "inline" | "none";
    recipes: readonly string[];
    report?: DispatchReport;
    cause: unknown;
  }) {
    const { fallback, recipes, report, cause } = options;
    const done =
      fallback === "inline"
        ? `ran ${recipes.join(", ")} in-process${outcomes(report)}`
        : `dropped ${recipes.join(", ")}`;
    super(`could not enqueue (${redact(describe(cause))}); ${done}`, { cause });
    Object.assign(this, { fallback, recipes, report });
  }
}

function outcomes(report: DispatchReport | undefined): string {
  const failed = report?.results.filter((result) => result.status === "rejected") ?? [];
  return failed.length ? ` (failed: ${failed.map((result) => result.recipe).join(", ")})` : "";
}

function describe(cause: unknown): string {
  try {
    return cause instanceof Error ? cause.message : String(cause);
  } catch {
    return "(unprintable)";
  }
}
