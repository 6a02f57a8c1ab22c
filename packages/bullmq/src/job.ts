import { EVENT_NAMES, type EventName, type RecipeInput } from "@auth-recipes/core";
import { configError, usableUserId } from "@auth-recipes/core/kit";
import type { WireValue } from "./wire.ts";

/** What a recipe job carries: everything a worker needs to run one recipe's handler for one dispatch. */
export interface RecipeJobData {
  /** The event the handler is for. */
  event: EventName;
  /** The recipe's name: the worker runs the recipe of this name. */
  recipe: string;
  /** The dispatch's id: the handler's `context.dispatchId` on every attempt, in every worker. */
  dispatchId: string;
  /** The event's message without its secrets, encoded so that its Dates stay Dates. */
  message: WireValue;
  /** The enqueue's trace context (W3C `traceparent`…), when a tracer subscribed to core's channels. */
  traceCarrier?: Record<string, string>;
}

/**
 * Whether a job's data is a recipe job's: an object with a known `event`, a string `recipe` and a string
 * `dispatchId`. Other producers may share the queue, and a record may be corrupted: a job that is not
 * ours is skipped by the dead-letter tools and failed at once by the worker.
 */
export function isRecipeJobData(data: unknown): data is RecipeJobData {
  if (typeof data !== "object" || data === null) return false;
  const { event, recipe, dispatchId } = data as Partial<Record<keyof RecipeJobData, unknown>>;
  return (
    typeof recipe === "string" &&
    typeof dispatchId === "string" &&
    typeof event === "string" &&
    (EVENT_NAMES as readonly string[]).includes(event)
  );
}

// A lone surrogate cannot be percent-encoded (encodeURIComponent throws), so no job id can hold it.
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Refuses, at configuration time, a recipe whose name no job id can hold (a lone surrogate).
 * @internal
 */
export function checkRecipeNames(pkg: string, recipes: readonly RecipeInput[]): void {
  if (!Array.isArray(recipes)) return; // resolveRoutes says what is wrong
  for (const recipe of recipes) {
    const name = (recipe as { name?: unknown } | null | undefined)?.name;
    if (recipe && typeof name === "string" && LONE_SURROGATE.test(name)) {
      throw configError(
        pkg,
        `a recipe name holds a lone surrogate (${JSON.stringify(name)}): a job id cannot encode it`,
      );
    }
  }
}

/** The name of every job `enqueueRecipes` adds: `<event>` is in the data, the name is for dashboards. */
export function jobName(data: Pick<RecipeJobData, "event" | "recipe">): string {
  return `${data.recipe}:${data.event}`;
}

// Characters that encodeURIComponent and the escapes below all leave as they are.
const PLAIN = /^[A-Za-z0-9_-]*$/;

// BullMQ refuses custom ids with a `:` (its key separator) and all-digit ids (its own counter's shape).
// Each part is percent-encoded with `~` as the escape, and `.` joins them, which no encoded part holds:
// the id is the same for the same (dispatch, recipe) and different for any other pair, whatever the name.
function encodePart(text: string): string {
  // The common case (a UUID, a recipe's name) has nothing to encode: skip the three passes.
  if (PLAIN.test(text)) return text;
  return encodeURIComponent(text)
    .replace(/[!'()*.~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%/g, "~");
}

/** The job id of one recipe's job for one dispatch: `<dispatchId>.<recipe>`, encoded. */
export function recipeJobId(dispatchId: string, recipe: string): string {
  return `${encodePart(dispatchId)}.${encodePart(recipe)}`;
}

/**
 * The user a job is about, from its message: `user.id`, a JWT's `sub`, or a session row's `userId`, read
 * as the kit's `usableUserId` reads ids (a string, or a safe integer as a string).
 */
export function userIdOf(data: Pick<RecipeJobData, "message">): string | undefined {
  const message = data.message as Record<string, Record<string, unknown> | undefined> | null;
  if (typeof message !== "object" || message === null) return undefined;
  const id = message.user?.id ?? message.token?.sub ?? message.session?.userId;
  return usableUserId(id);
}
