// What every check does around the recipe: bound its timeout, start from a clean emulator, build the
// recipe without crashing, find its default events and dispatch one event through core.

import {
  EVENT_NAMES,
  type EventName,
  type HandlerResult,
  type Recipe,
  type RecipeError,
} from "@auth-recipes/core";
import { prefixed } from "@auth-recipes/core/kit";
import type { Emulator } from "../emulator/types.ts";
import { recordDispatch, reportedNothing } from "../record-dispatch.ts";
import type { RecipeTestConfig } from "./config.ts";
import { describeError, fail } from "./errors.ts";
import { hostOf, type RecipeHost } from "./host.ts";

const DEFAULT_TIMEOUT_MS = 1000;

/** The config's timeout, checked: a positive, finite number of ms. */
export function timeoutOf(config: { timeoutMs?: number | undefined }): number {
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!(timeoutMs > 0 && Number.isFinite(timeoutMs))) {
    throw new RangeError(prefixed("testing", 'option "timeoutMs" must be a positive number'));
  }
  return timeoutMs;
}

/** How much later than its timeout a handler may settle: half of it, at least 300 ms. */
export function marginOf(timeoutMs: number): number {
  return Math.max(300, timeoutMs / 2);
}

/** Resolves after `ms`. */
export const sleep = (ms: number): Promise<void> =>
  new Promise<void>((wake) => setTimeout(wake, ms));

/** Clears every fault, and the emulator's state, so that a check starts from nothing. */
export async function prepare(emulator: Emulator): Promise<void> {
  await emulator.up();
  emulator.reset();
}

/** Builds the recipe from valid options, failing the check (not crashing it) when the factory throws. */
export function build<E extends Emulator, O extends object>(
  config: RecipeTestConfig<E, O>,
  emulator: E,
): Recipe {
  let recipe: Recipe;
  try {
    recipe = config.factory(config.options(emulator));
  } catch (error) {
    fail(`the factory threw with the valid options: ${describeError(error)}`);
  }
  if (typeof recipe !== "object" || recipe === null) {
    fail(`the factory returned ${recipe === null ? "null" : typeof recipe}, not a recipe`);
  }
  if (typeof recipe.events !== "object" || recipe.events === null) {
    fail('the recipe has no "events" object');
  }
  return recipe;
}

/** The events the recipe handles by default, in next-auth's order. */
export function defaultEvents(recipe: Recipe): EventName[] {
  const events = recipe.events as Record<string, unknown>;
  return EVENT_NAMES.filter((event) => typeof events[event] === "function");
}

/** What one dispatched event ended as, for one recipe. */
export interface Dispatched {
  event: EventName;
  message: unknown;
  result: HandlerResult;
  errors: RecipeError[];
  /** From the call to the composed callback's resolution, in ms. */
  ms: number;
}

/**
 * Dispatches one event to the recipe alone (with `retry` in place of its own, if given) through the
 * config's host, recording what core reports through the options the host passes on; fails the check
 * (naming the host) when the host throws, reports nothing or resolves without a `durationMs`.
 */
export async function dispatch(
  config: { host?: RecipeHost | undefined },
  recipe: Recipe,
  event: EventName,
  message: unknown,
  retry?: Recipe["retry"],
): Promise<Dispatched> {
  const host = hostOf(config);
  const recording = recordDispatch();
  let durationMs: unknown;
  try {
    const ran: { durationMs?: unknown } | undefined = await host.dispatch(
      [retry === undefined ? recipe : { ...recipe, retry }],
      event,
      message as never,
      recording.options,
    );
    // Read inside the try: a host may resolve with anything, even a value whose getter throws.
    durationMs = ran?.durationMs;
  } catch (error) {
    fail(`the ${host.name} host threw dispatching ${event}: ${describeError(error)}`);
  }
  const dispatched = await recording.result(durationMs as number);
  const result = dispatched?.report.results[0];
  if (!dispatched || !result) fail(reportedNothing(host.name, event));
  if (typeof durationMs !== "number" || !(durationMs >= 0)) {
    fail(
      `the ${host.name} host resolved without a durationMs for ${event}: resolve with { durationMs }, how long the library made the sign-in wait`,
    );
  }
  return { event, message, result, errors: dispatched.errors, ms: durationMs };
}
