import { configError, configRangeError } from "./config-error.ts";
import { EVENT_NAMES, type EventName } from "./events.ts";
import type { HandlerContext, PlainEvents, Recipe } from "./recipe.ts";
import { type RetryOptions, type RetryPolicy, toRetryPolicy } from "./retry.ts";

/** A recipe, a plain next-auth `events` object, or a falsy value, skipped: `process.env.SLACK_TOKEN && slackNotify(...)` works. */
export type RecipeInput = Recipe | PlainEvents | false | "" | 0 | null | undefined;

/**
 * One handler of one event, with the timeout and retry policy that apply to it: what
 * {@link resolveRoutes} makes of the recipes, once, and what `runAttempt` runs.
 */
export interface Route {
  /** The recipe's name (`events[<index>]` for a plain events object). */
  readonly recipe: string;
  /** The event this handler handles. */
  readonly event: EventName;
  /** The handler, bound to its events object. */
  readonly handler: (message: unknown, context: HandlerContext) => unknown;
  /** Bounds each attempt, in ms (`Infinity` for none). */
  readonly timeoutMs: number;
  /** The retry policy, with its defaults filled in; `undefined` when failures are not retried. */
  readonly retry: RetryPolicy | undefined;
}

/** The routes of every event, in next-auth's event order; an event no recipe handles has none. */
export type RouteTable = { readonly [E in EventName]: readonly Route[] };

/** The defaults {@link resolveRoutes} applies to recipes that set no `timeoutMs` or `retry` of their own. */
export interface RouteOptions {
  /**
   * Bounds each attempt of each handler, in ms: a positive number or `Infinity`.
   * @default 10000
   */
  timeoutMs?: number;
  /**
   * Retry failed attempts: `true` for the defaults, or a policy. Only failures that `retryIf` accepts
   * (by default `isRetryable`) are retried.
   * @default false
   */
  retry?: boolean | RetryOptions;
}

const DEFAULT_TIMEOUT_MS = 10_000;

function checkTimeout(value: unknown, where: string): number | undefined {
  if (value !== undefined && (typeof value !== "number" || !(value > 0))) {
    throw configRangeError(
      "core",
      `${where}option "timeoutMs" must be a positive number or Infinity`,
    );
  }
  return value;
}

/**
 * Validates recipes and turns them into routes, one per (event, handler), in the recipes' order: what
 * `composeEvents` does at compose time, for other hosts (a queue worker, another auth library's hooks)
 * to handle exactly the same events with the same configuration errors. Throws `[auth-recipes/core]`
 * `TypeError`s and `RangeError`s for an unknown event name, a handler that is not a function, two recipes
 * with one name, an invalid timeout or retry policy. A handler set to `undefined` counts as absent.
 *
 * @example
 * ```ts
 * const routes = resolveRoutes(recipes, { timeoutMs: 5_000 });
 * const handled = EVENT_NAMES.filter((event) => routes[event].length > 0);
 * ```
 */
export function resolveRoutes(
  recipes: readonly RecipeInput[],
  options: RouteOptions = {},
): RouteTable {
  if (!Array.isArray(recipes)) throw configError("core", "recipes must be an array of recipes");
  const timeoutMs = checkTimeout(options.timeoutMs, "") ?? DEFAULT_TIMEOUT_MS;
  const retry = toRetryPolicy(options.retry, "");
  const routes = Object.fromEntries(EVENT_NAMES.map((event) => [event, []])) as unknown as Record<
    EventName,
    Route[]
  >;
  const names = new Set<string>();
  recipes.forEach((entry: unknown, index) => {
    if (!entry) return;
    const recipe = typeof entry === "object" && "events" in entry ? (entry as Recipe) : undefined;
    const name = recipe ? recipe.name : `events[${index}]`;
    const events = (recipe ? recipe.events : entry) as Record<string, unknown>;
    if (typeof events !== "object" || !events)
      throw configError("core", `recipes[${index}] must be a recipe or an events object`);
    if (typeof name !== "string" || !name || names.has(name)) {
      throw configError(
        "core",
        `recipes[${index}] needs a unique, non-empty "name" (got ${JSON.stringify(name)})`,
      );
    }
    names.add(name);
    const where = `recipe "${name}"`;
    const ownTimeout = recipe && checkTimeout(recipe.timeoutMs, `${where} `);
    const ownRetry =
      recipe && recipe.retry !== undefined ? toRetryPolicy(recipe.retry, `${where} `) : retry;
    for (const [event, handler] of Object.entries(events)) {
      if (!Object.hasOwn(routes, event))
        throw configError(
          "core",
          `${where} has an unknown event "${event}"; the events are ${EVENT_NAMES.join(", ")}`,
        );
      // `undefined` is "not handled", so that `{ signIn: flag ? fn : undefined }` works.
      if (handler === undefined) continue;
      if (typeof handler !== "function")
        throw configError("core", `${where}: the ${event} handler must be a function`);
      routes[event as EventName].push({
        recipe: name,
        event: event as EventName,
        // A plain events object's handler takes only the message; passing the context too is harmless.
        handler: handler.bind(events) as Route["handler"],
        timeoutMs: ownTimeout ?? timeoutMs,
        retry: ownRetry,
      });
    }
  });
  return routes;
}
