import { type HandlerResult, RecipeError } from "@auth-recipes/core";
import { backoffDelay, type Route, runAttempt } from "@auth-recipes/core/kit";
import { shouldRetry } from "./attempts.ts";

/**
 * Runs an event's routes in-process, with core's semantics (concurrently, each attempt bounded, retried by
 * its policy), under the dispatch's own id: if the enqueue that timed out did reach Redis after all, the
 * jobs and this run share their idempotency keys and message ids, so Stripe and Segment see one effect.
 * Never rejects.
 */
export function runInline(
  routes: readonly Route[],
  message: unknown,
  dispatchId: string,
): Promise<HandlerResult[]> {
  return Promise.all(
    routes.map(async (route): Promise<HandlerResult> => {
      const started = performance.now();
      for (let attempt = 1; ; attempt++) {
        const outcome = await runAttempt(route, message, { attempt, dispatchId });
        const result: HandlerResult = {
          recipe: route.recipe,
          status: outcome.status,
          attempts: attempt,
          durationMs: 0,
        };
        if (outcome.status === "rejected") {
          const policy = route.retry;
          if (policy && shouldRetry(policy, outcome.error, attempt)) {
            await new Promise((wake) =>
              setTimeout(wake, backoffDelay(policy, attempt, outcome.error)),
            );
            continue;
          }
          const { recipe, event } = route;
          result.error = new RecipeError({
            recipe,
            event,
            attempts: attempt,
            timedOut: outcome.timedOut,
            cause: outcome.error,
          });
        }
        if (outcome.reason !== undefined) result.reason = outcome.reason;
        result.durationMs = performance.now() - started;
        return result;
      }
    }),
  );
}
