// A stand-in for `@auth-recipes/core/kit`, which is being written in parallel: the same names and
// shapes, kept in this one file so that switching to the kit is an import change and a deletion.
import {
  EVENT_NAMES,
  type EventName,
  type HandlerContext,
  isRetryable,
  isSkip,
  type Recipe,
  type RecipeInput,
  type RetryOptions,
} from "@auth-recipes/core";

/** A retry policy with every field filled in. */
export type RetryPolicy = Required<RetryOptions>;

/** One handler of one event with the policy that applies to it, as core composes it. */
export interface Route {
  recipe: string;
  event: EventName;
  handler: (message: unknown, context: HandlerContext) => unknown;
  timeoutMs: number;
  retry: RetryPolicy | undefined;
}

/** How one attempt ended. */
export interface AttemptResult {
  status: "fulfilled" | "rejected" | "skipped";
  /** What the attempt threw or rejected with (the timeout error when it timed out). */
  error?: unknown;
  reason?: string;
  timedOut: boolean;
  durationMs: number;
}

/** A configuration error, prefixed with the package's name. */
export function configError(pkg: string, message: string): TypeError {
  return new TypeError(`[auth-recipes/${pkg}] ${message}`);
}

/** A value out of range, prefixed with the package's name. */
export function configRangeError(pkg: string, message: string): RangeError {
  return new RangeError(`[auth-recipes/${pkg}] ${message}`);
}

/** A missing option. */
export function requiredOption(pkg: string, option: string): TypeError {
  return configError(pkg, `option "${option}" is required`);
}

const SECRETS =
  /[^\s<>"'(]+@[^\s<>"')]+|[^\s<>"'(]+%40[^\s<>"')]+|\b[sr]k_\w+|\bxox\w-\S+|\b(Bearer|Basic) \S+/gi;

/** Replaces email addresses and well-known secret shapes with `[redacted]`. */
export function redact(text: unknown): string {
  return String(text).replace(SECRETS, "[redacted]");
}

const DEFAULT_TIMEOUT_MS = 10_000;

function positive(value: unknown, where: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !(value > 0)) {
    throw configRangeError(
      "core",
      `${where} option "timeoutMs" must be a positive number or Infinity`,
    );
  }
  return value;
}

function toPolicy(retry: boolean | RetryOptions | undefined): RetryPolicy | undefined {
  if (retry === undefined || retry === false) return undefined;
  const options = retry === true ? {} : retry;
  return {
    retries: options.retries ?? 3,
    minDelayMs: options.minDelayMs ?? 100,
    maxDelayMs: options.maxDelayMs ?? 5000,
    factor: options.factor ?? 2,
    jitter: options.jitter ?? true,
    retryIf: options.retryIf ?? isRetryable,
  };
}

/** Validates recipes as `composeEvents` does and returns each event's routes, in recipe order. */
export function resolveRoutes(
  recipes: readonly RecipeInput[],
  options: { timeoutMs?: number; retry?: boolean | RetryOptions } = {},
): Map<EventName, Route[]> {
  if (!Array.isArray(recipes)) throw configError("core", "takes an array of recipes");
  const timeoutMs = positive(options.timeoutMs, "composeEvents") ?? DEFAULT_TIMEOUT_MS;
  const retry = toPolicy(options.retry);
  const routes = new Map<EventName, Route[]>(EVENT_NAMES.map((event) => [event, []]));
  const names = new Set<string>();
  recipes.forEach((entry, index) => {
    if (!entry) return;
    const isRecipe = typeof entry === "object" && "events" in entry;
    const recipe = entry as Recipe;
    const name = isRecipe ? recipe.name : `events[${index}]`;
    const events = (isRecipe ? recipe.events : entry) as Record<string, unknown>;
    if (typeof events !== "object" || !events) {
      throw configError("core", `recipes[${index}] must be a recipe or an events object`);
    }
    if (typeof name !== "string" || !name || names.has(name)) {
      throw configError("core", `recipes[${index}] needs a unique, non-empty "name"`);
    }
    names.add(name);
    const where = `recipe "${name}"`;
    const ownTimeout = isRecipe ? positive(recipe.timeoutMs, where) : undefined;
    const ownRetry = isRecipe && recipe.retry !== undefined ? toPolicy(recipe.retry) : retry;
    for (const [event, handler] of Object.entries(events)) {
      const list = routes.get(event as EventName);
      if (!list) throw configError("core", `${where} has an unknown event "${event}"`);
      if (handler === undefined) continue;
      if (typeof handler !== "function") {
        throw configError("core", `${where}: the ${event} handler must be a function`);
      }
      list.push({
        recipe: name,
        event: event as EventName,
        handler: handler.bind(events) as Route["handler"],
        timeoutMs: ownTimeout ?? timeoutMs,
        retry: ownRetry,
      });
    }
  });
  return routes;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

/** Runs one attempt of a route with core's context, signal, deadline and timeout; never rejects. */
export async function runAttempt(
  route: Route,
  message: unknown,
  { attempt, dispatchId }: { attempt: number; dispatchId: string },
): Promise<AttemptResult> {
  const started = performance.now();
  const controller = new AbortController();
  const deadline = Date.now() + route.timeoutMs;
  const context: HandlerContext = {
    event: route.event,
    recipe: route.recipe,
    attempt,
    signal: controller.signal,
    deadline,
    dispatchId,
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const outcome = await new Promise<[boolean, unknown, boolean]>((resolve) => {
    try {
      Promise.resolve(route.handler(message, context)).then(
        (value) => resolve([false, value, false]),
        (error: unknown) => resolve([true, error, false]),
      );
    } catch (error) {
      resolve([true, error, false]);
    }
    if (route.timeoutMs <= MAX_TIMER_MS) {
      timer = setTimeout(() => {
        const error = new Error(`timed out after ${route.timeoutMs} ms`);
        error.name = "TimeoutError";
        controller.abort(error);
        resolve([true, error, true]);
      }, route.timeoutMs);
    }
  });
  clearTimeout(timer);
  const [failed, value, timedOut] = outcome;
  const durationMs = performance.now() - started;
  if (isSkip(value)) return { status: "skipped", reason: value.reason, timedOut, durationMs };
  if (failed) return { status: "rejected", error: value, timedOut, durationMs };
  return { status: "fulfilled", timedOut, durationMs };
}

/** The delay before the retry after failed attempt `attempt`; an error's `retryAfterMs` wins, bounded. */
export function backoffDelay(policy: RetryPolicy, attempt: number, error?: unknown): number {
  const asked = (error as { retryAfterMs?: unknown } | undefined)?.retryAfterMs;
  if (typeof asked === "number" && asked >= 0) return Math.min(asked, policy.maxDelayMs);
  const delay = Math.min(policy.maxDelayMs, policy.minDelayMs * policy.factor ** (attempt - 1));
  return policy.jitter ? delay / 2 + (Math.random() * delay) / 2 : delay;
}
