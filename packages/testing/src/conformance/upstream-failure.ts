import { RecipeError } from "@auth-recipes/core";
import type { Emulator } from "../emulator/types.ts";
import { defaultMessage } from "../fixtures/messages.ts";
import type { RecipeTestConfig, UpstreamFault } from "./config.ts";
import { describeError, fail } from "./errors.ts";
import { defaultEvents, dispatch, marginOf, prepare } from "./harness.ts";
import { settled, watchedRecipe } from "./instrument.ts";
import { watchingProcess } from "./watch-process.ts";

async function applyFault(emulator: Emulator, fault: UpstreamFault): Promise<void> {
  if (fault === "error") emulator.fail({ times: Number.POSITIVE_INFINITY, status: 500 });
  else if (fault === "hang") emulator.hang();
  else await emulator.down();
}

/** How a test title says what the upstream does. */
export const FAULT_NAMES: Record<UpstreamFault, string> = {
  error: "answering 500",
  hang: "hanging",
  down: "refusing connections",
};

/**
 * With the upstream failing (`"error"`: 500 to every request, `"hang"`: never answering, `"down"`:
 * refusing connections), every default event's handler settles within `timeoutMs` plus a margin, its
 * failure reaches `onError` once as a `RecipeError` naming the recipe, and nothing rejects unhandled.
 */
export async function checkUpstreamFailure<E extends Emulator, O extends object>(
  config: RecipeTestConfig<E, O>,
  emulator: E,
  fault: UpstreamFault,
): Promise<void> {
  const { timeoutMs, built, recipe, calls } = await watchedRecipe(config, emulator);
  const margin = marginOf(timeoutMs);
  const upstream = `the upstream ${FAULT_NAMES[fault]}`;
  await watchingProcess(
    async () => {
      await applyFault(emulator, fault);
      const started = performance.now();
      const outcomes = await Promise.all(
        defaultEvents(built).map((event) => dispatch(config, recipe, event, defaultMessage(event))),
      );
      const late = await settled(calls, started + timeoutMs + margin - performance.now());
      if (late.length) {
        fail(
          `with ${upstream}, the ${late.map((call) => call.event).join(", ")} handler(s) were still running ${Math.round(performance.now() - started)} ms after the dispatch, with a ${timeoutMs} ms timeout: pass the context's signal (or deadline) to the SDK`,
        );
      }
      for (const { event, result, errors, ms } of outcomes) {
        if (ms > timeoutMs + margin) {
          fail(`with ${upstream}, ${event} took ${Math.round(ms)} ms (timeout ${timeoutMs} ms)`);
        }
        if (result.status !== "rejected" || errors.length !== 1) {
          fail(
            `with ${upstream}, ${event} ended ${result.status}${result.reason ? ` (${result.reason})` : ""} and reached onError ${errors.length} time(s); a failure must reach onError once`,
          );
        }
        const [error] = errors;
        if (!(error instanceof RecipeError) || error.recipe !== config.name) {
          fail(
            `with ${upstream}, onError got ${describeError(error)}, not a RecipeError naming "${config.name}"`,
          );
        }
        if (!error.message.includes(`"${config.name}"`) || error.event !== event) {
          fail(
            `with ${upstream}, the RecipeError does not name the recipe and event: ${error.message}`,
          );
        }
      }
    },
    () => prepare(emulator),
  );
}
