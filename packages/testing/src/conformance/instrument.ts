import type { EventName, HandlerContext, Recipe } from "@auth-recipes/core";
import type { Emulator } from "../emulator/types.ts";
import type { RecipeTestConfig } from "./config.ts";
import { build, prepare, timeoutOf } from "./harness.ts";

/** One call of a watched handler. */
export interface Call {
  event: EventName;
  attempt: number;
  /** Whether the handler's own promise has settled (core stops waiting for it at the timeout). */
  done: boolean;
  settled: Promise<void>;
}

/** Wraps each call of a handler: `run` calls it; return `undefined` to just run it. */
export type Around = (
  context: HandlerContext,
  run: () => Promise<unknown>,
) => Promise<unknown> | undefined;

/**
 * A copy of the recipe whose handlers are watched: each call's own promise is kept, so the check can
 * tell when the handler really stopped (core does not wait for a timed-out handler, but its I/O goes on).
 */
export function instrument(
  recipe: Recipe,
  overrides: Partial<Recipe>,
  around?: Around,
): { recipe: Recipe; calls: Call[] } {
  const calls: Call[] = [];
  const events: Record<string, unknown> = {};
  for (const [event, handler] of Object.entries(recipe.events)) {
    if (typeof handler !== "function") {
      events[event] = handler;
      continue;
    }
    events[event] = (message: unknown, context: HandlerContext) => {
      const run = () => {
        try {
          return Promise.resolve(handler.call(recipe.events, message, context));
        } catch (error) {
          return Promise.reject(error);
        }
      };
      const result = around?.(context, run) ?? run();
      const call: Call = {
        event: event as EventName,
        attempt: context.attempt,
        done: false,
        settled: result.then(
          () => {},
          () => {},
        ),
      };
      call.settled = call.settled.then(() => {
        call.done = true;
      });
      calls.push(call);
      return result;
    };
  }
  return { recipe: { ...recipe, ...overrides, events }, calls };
}

/** Waits until every call has settled, or until `ms` have passed; returns the calls still running. */
export async function settled(calls: Call[], ms: number): Promise<Call[]> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    Promise.all(calls.map((call) => call.settled)),
    new Promise<void>((wake) => {
      timer = setTimeout(wake, Math.max(0, ms));
    }),
  ]);
  clearTimeout(timer);
  return calls.filter((call) => !call.done);
}

/** What a failure check runs: the recipe built from valid options, and its watched copy. */
export interface WatchedRecipe {
  /** The config's timeout, checked. */
  timeoutMs: number;
  /** The recipe as the factory built it: its events are the default events. */
  built: Recipe;
  /** The watched copy, composed with `timeoutMs` and no retries. */
  recipe: Recipe;
  calls: Call[];
}

/**
 * How every failure check starts: the timeout checked, the emulator reset, the recipe built, and a
 * watched copy of it with the check's timeout and retries off, so each attempt is the only one.
 */
export async function watchedRecipe<E extends Emulator, O extends object>(
  config: RecipeTestConfig<E, O>,
  emulator: E,
): Promise<WatchedRecipe> {
  const timeoutMs = timeoutOf(config);
  await prepare(emulator);
  const built = build(config, emulator);
  return { timeoutMs, built, ...instrument(built, { timeoutMs, retry: false }) };
}
