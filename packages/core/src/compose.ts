import { configError } from "./config-error.ts";
import { type DispatchTrace, traceDispatch, tracing } from "./diagnostics.ts";
import { contain, DispatchId, type HandlerResult, type Route, runRoute } from "./dispatch.ts";
import type { RecipeError } from "./errors.ts";
import { EVENT_NAMES, type EventMessages, type EventName } from "./events.ts";
import type { PlainEvents, Recipe } from "./recipe.ts";
import { type RetryOptions, toRetryPolicy } from "./retry.ts";

/** Options for {@link composeEvents}; a recipe's own `timeoutMs` and `retry` override them. */
export interface ComposeOptions {
  /**
   * Bounds each attempt of each handler, in ms: a positive number or `Infinity`.
   * @default 10000
   */
  timeoutMs?: number;
  /**
   * Retry failed attempts: `true` for the defaults, or a policy. Only failures that `retryIf` accepts
   * (by default {@link isRetryable}) are retried.
   * @default false
   */
  retry?: boolean | RetryOptions;
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
   * request), the callback waits for the side effects instead of losing them.
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

/** A recipe, a plain next-auth `events` object, or a falsy value, skipped: `process.env.SLACK_TOKEN && slackNotify(...)` works. */
export type RecipeInput = Recipe | PlainEvents | false | "" | 0 | null | undefined;

const DEFAULT_TIMEOUT_MS = 10_000;

function defaultOnError(error: RecipeError): void {
  // The message names the recipe and event and quotes the (redacted) cause; never the event's payload.
  console.error(`[auth-recipes] ${error.message}`);
}

function checkTimeout(value: unknown, where: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !(value > 0)) {
    configError(`${where} option "timeoutMs" must be a positive number or Infinity`, true);
  }
  return value;
}

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
  if (!Array.isArray(recipes)) configError("composeEvents takes an array of recipes");
  const { onSettled, waitUntil } = options;
  for (const key of ["onError", "onSettled", "waitUntil"] as const) {
    if (options[key] !== undefined && typeof options[key] !== "function") {
      configError(`option "${key}" must be a function`);
    }
  }
  const onError = options.onError ?? defaultOnError;
  const timeoutMs = checkTimeout(options.timeoutMs, "composeEvents") ?? DEFAULT_TIMEOUT_MS;
  const retry = toRetryPolicy(options.retry, "composeEvents");

  const routes = new Map<EventName, Route[]>(EVENT_NAMES.map((event) => [event, []]));
  const names = new Set<string>();
  recipes.forEach((entry, index) => {
    if (!entry) return;
    const isRecipe = typeof entry === "object" && "events" in entry;
    const recipe = entry as Recipe;
    const name = isRecipe ? recipe.name : `events[${index}]`;
    const events = (isRecipe ? recipe.events : entry) as Record<string, unknown>;
    if (typeof events !== "object" || !events)
      configError(`recipes[${index}] must be a recipe or an events object`);
    if (typeof name !== "string" || !name || names.has(name)) {
      configError(
        `recipes[${index}] needs a unique, non-empty "name" (got ${JSON.stringify(name)})`,
      );
    }
    names.add(name);
    const where = `recipe "${name}"`;
    const recipeTimeout = isRecipe ? checkTimeout(recipe.timeoutMs, where) : undefined;
    const recipeRetry =
      isRecipe && recipe.retry !== undefined ? toRetryPolicy(recipe.retry, where) : retry;
    for (const [event, handler] of Object.entries(events)) {
      const list = routes.get(event as EventName);
      if (!list)
        configError(
          `${where} has an unknown event "${event}"; the events are ${EVENT_NAMES.join(", ")}`,
        );
      // `undefined` is "not handled", so that `{ signIn: flag ? fn : undefined }` works.
      if (handler === undefined) continue;
      if (typeof handler !== "function")
        configError(`${where}: the ${event} handler must be a function`);
      list.push({
        recipe: name,
        event: event as EventName,
        // A plain events object's handler takes only the message; passing the context too is harmless.
        handler: handler.bind(events) as Route["handler"],
        timeoutMs: recipeTimeout ?? timeoutMs,
        retry: recipeRetry,
      });
    }
  });

  // Durations are only reported to onSettled: without it, reading the clock is wasted on the hot path.
  const clock = onSettled ? () => performance.now() : () => 0;
  const channels = tracing();
  const composed: Record<string, (message: unknown) => Promise<void>> = {};
  // Keys in next-auth's order, and only for handled events: next-auth v4 logs an error for a key whose
  // value is undefined, and an absent `session` key keeps the hot path free.
  for (const event of EVENT_NAMES) {
    const list = routes.get(event)!;
    if (!list.length) continue;
    const recipeNames = list.map((route) => route.recipe);
    const run = (message: unknown, dispatch: DispatchId, traced?: DispatchTrace) => {
      const started = clock();
      return Promise.all(
        list.map((route) => runRoute(route, message, dispatch, onError, clock, channels)),
      ).then((results) => {
        if (traced)
          traced.results = results.map(({ recipe, status, attempts }) => ({
            recipe,
            status,
            attempts,
          }));
        if (onSettled) {
          const durationMs = clock() - started;
          contain(() => onSettled({ event, dispatchId: dispatch.value, durationMs, results }));
        }
      });
    };
    composed[event] = (message) => {
      const dispatch = new DispatchId();
      // Tracing costs this one property read while nobody subscribes (see diagnostics.ts).
      const settling = channels?.dispatch.hasSubscribers
        ? traceDispatch(
            channels.dispatch,
            { event, dispatchId: dispatch.value, recipes: recipeNames },
            (traced) => run(message, dispatch, traced),
          )
        : run(message, dispatch);
      if (waitUntil) {
        try {
          waitUntil(settling);
          return Promise.resolve();
        } catch {
          // Outside a request scope `after()` throws: wait instead, so nothing is lost.
        }
      }
      return settling;
    };
  }
  return composed as ComposedEvents;
}
