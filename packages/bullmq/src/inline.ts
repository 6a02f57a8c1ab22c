import type { HandlerResult } from "@auth-recipes/core";
import { type Route, runHandler } from "@auth-recipes/core/kit";

/**
 * Runs an event's routes in-process through core's runner (concurrently, each attempt bounded, retried by
 * its policy), under the dispatch's own id: if the enqueue that timed out did reach Redis after all, the
 * jobs and this run share their idempotency keys and message ids, so Stripe and Segment see one effect.
 * Bounded by the enqueue handler's own `deadline` and `signal`: when core stops waiting for that handler,
 * the recipes' attempts end too (their signals abort) and no retry starts, so nothing runs on after a
 * serverless response froze the process. Failures are returned, not reported: the handler's one
 * `EnqueueError` carries them. Never rejects.
 */
export function runInline(
  routes: readonly Route[],
  message: unknown,
  bounds: { dispatchId: string; deadline: number; signal: AbortSignal },
): Promise<HandlerResult[]> {
  return Promise.all(
    routes.map((route) => runHandler(route, message, { ...bounds, onError: ignore })),
  );
}

function ignore(): void {}
