import { configError } from "./config-error.ts";
import { defaultOnError } from "./default-on-error.ts";
import { refuseDelayed } from "./delayed.ts";
import { type DispatchTrace, traceDispatch, traceResults, tracing } from "./diagnostics.ts";
import type { RecipeError } from "./errors.ts";
import { EVENT_NAMES, type EventMessages, type EventName } from "./events.ts";
import type { HandlerResult } from "./outcomes.ts";
import { type RecipeInput, type RouteOptions, resolveRoutes } from "./routes.ts";
import { contain, DispatchId, ignoreRejection, runRoute } from "./run-route.ts";

/** Options for {@link composeEvents}; a recipe's own `timeoutMs` and `retry` override them. */
export interface ComposeOptions extends RouteOptions {
  /**
   * Called once per handler whose last attempt failed. A throw or rejection here is contained.
   * @default one line on the console with the recipe, the event and the cause's message (never the payload)
   */
  onError?: (error: RecipeError) => unknown;
  /** Called once per dispatch, when every handler has settled, with every handler's outcome. */
  onSettled?: (report: DispatchReport) => unknown;
  /**
   * Vercel's `waitUntil` or Next.js `after`: the composed callback hands it the settling promise and
   * resolves at once, so the response does not wait for side effects. If it throws (called outside a
   * request), the callback waits for the side effects instead of losing them; if it returns a promise
   * that rejects, the rejection is ignored (never unhandled) and the side effects still run.
   */
  waitUntil?: (promise: Promise<unknown>) => unknown;
}

/** The outcome of one dispatch: one composed callback's call. */
export interface DispatchReport {
  /** The event dispatched. */
  event: EventName;
  /** The id every handler of this dispatch saw in its context. */
  dispatchId: string;
  /** From the call to the last handler's end, in ms. */
  durationMs: number;
  /** One per handler, in the order the recipes were given. */
  results: HandlerResult[];
}

/**
 * What {@link composeEvents} returns: next-auth's `events` option, holding exactly the events that some
 * recipe handles. Each callback resolves when every handler has settled and never rejects.
 */
export type ComposedEvents = {
  [E in EventName]?: (message: EventMessages[E]) => Promise<void>;
};

const resolved = Promise.resolve();

/**
 * Merges recipes into the one `events` object next-auth takes.
 *
 * Each composed callback starts every handler of its event at once, bounds each attempt by a timeout,
 * retries when asked, reports failures to `onError` and outcomes to `onSettled`, and never rejects: one
 * broken service never stops the others and never breaks a sign-in.
 *
 * Configuration errors throw here, at compose time: an unknown event name, a handler that is not a
 * function, two recipes with one name, a timeout that is not a positive number.
 *
 * @example
 * ```ts
 * export const authOptions = {
 *   adapter,
 *   providers,
 *   events: composeEvents([welcomeEmail({ transport, from }), env.SLACK_TOKEN && slackNotify({ client, channel })]),
 * };
 * ```
 */
export function composeEvents(
  recipes: readonly RecipeInput[],
  options: ComposeOptions = {},
): ComposedEvents {
  for (const key of ["onError", "onSettled", "waitUntil"] as const) {
    if (options[key] !== undefined && typeof options[key] !== "function") {
      throw configError("core", `option "${key}" must be a function`);
    }
  }
  const { onSettled, waitUntil } = options;
  const onError = options.onError ?? defaultOnError;
  // A recipe to run days later cannot wait in this process: say where it belongs.
  refuseDelayed(recipes, "core");
  const routes = resolveRoutes(recipes, options);

  // Durations are only reported to onSettled: without it, reading the clock is wasted on the hot path.
  const clock = onSettled ? () => performance.now() : () => 0;
  const channels = tracing();
  const composed: Record<string, (message: unknown) => Promise<void>> = {};
  // Keys in next-auth's order, and only for handled events: next-auth v4 logs an error for a key whose
  // value is undefined, and an absent `session` key keeps the hot path free.
  for (const event of EVENT_NAMES) {
    const list = routes[event];
    if (!list.length) continue;
    const recipeNames = list.map((route) => route.recipe);
    const run = (message: unknown, dispatch: DispatchId, traced?: DispatchTrace) => {
      const started = clock();
      // Without bounds, runRoute never hands a retry back: every result is a HandlerResult.
      return Promise.all(
        list.map(
          (route) => runRoute(route, message, dispatch, onError, clock) as Promise<HandlerResult>,
        ),
      ).then((results) => {
        if (traced) traced.results = traceResults(results);
        if (onSettled) {
          const durationMs = clock() - started;
          contain(() => onSettled({ event, dispatchId: dispatch.value, durationMs, results }));
        }
      });
    };
    composed[event] = (message) => {
      const dispatch = new DispatchId();
      // While nobody subscribes, tracing costs this one read (see diagnostics.ts).
      const settling = channels?.dispatch.hasSubscribers
        ? traceDispatch(
            channels.dispatch,
            { event, dispatchId: dispatch.value, recipes: recipeNames },
            (traced) => run(message, dispatch, traced),
          )
        : run(message, dispatch);
      if (waitUntil) {
        try {
          // An async waitUntil's rejection would be unhandled: settling goes on either way.
          ignoreRejection(waitUntil(settling));
          return resolved;
        } catch {
          // Outside a request scope `after()` throws: wait instead, so nothing is lost.
        }
      }
      return settling;
    };
  }
  return composed as ComposedEvents;
}
