import type { EventName } from "@auth-recipes/core";
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

/** The user a job is about, from its message: `user.id`, a JWT's `sub`, or a session row's `userId`. */
export function userIdOf(data: Pick<RecipeJobData, "message">): string | undefined {
  const message = data.message as Record<string, Record<string, unknown> | undefined> | null;
  if (typeof message !== "object" || message === null) return undefined;
  const id = message.user?.id ?? message.token?.sub ?? message.session?.userId;
  return typeof id === "string" ? id : undefined;
}
