import type { Emulator } from "../emulator/types.ts";
import { defaultMessage } from "../fixtures/messages.ts";
import { hostileUsers } from "../fixtures/users.ts";
import type { RecipeTestConfig } from "./config.ts";
import { describeError, fail } from "./errors.ts";
import { defaultEvents, dispatch, prepare } from "./harness.ts";
import { watchedRecipe } from "./instrument.ts";
import { watchingProcess } from "./watch-process.ts";

/** Whether a handler's failure is the service's (or the network's, or a timeout), not a crash. */
function isUpstreamFailure(error: unknown): boolean {
  for (let depth = 0; depth < 5 && typeof error === "object" && error !== null; depth++) {
    const e = error as Record<string, unknown>;
    if (e.name === "TimeoutError" || e.name === "AbortError") return true;
    // The recipe classified it, as every recipe must classify its upstream's errors.
    if (typeof e.retryable === "boolean") return true;
    for (const key of ["status", "statusCode", "responseCode"]) {
      if (typeof e[key] === "number") return true;
    }
    // Network and SDK codes (ECONNRESET, EENVELOPE, slack_webapi_platform_error), not Node's ERR_ bugs.
    if (typeof e.code === "string" && !e.code.startsWith("ERR_")) return true;
    error = e.cause;
  }
  return false;
}

/**
 * Every hostile user through every default event neither crashes a handler (a rejection other than the
 * service's error or a timeout; a `skip` is fine) nor injects anything at the service (`injected`).
 */
export async function checkHostileInput<E extends Emulator, O extends object>(
  config: RecipeTestConfig<E, O>,
  emulator: E,
): Promise<void> {
  const { built, recipe } = await watchedRecipe(config, emulator);
  await watchingProcess(
    async () => {
      const runs = Object.entries(hostileUsers).flatMap(([key, user]) =>
        defaultEvents(built).map(async (event) => ({
          key,
          ...(await dispatch(config, recipe, event, defaultMessage(event, user))),
        })),
      );
      const crashes = (await Promise.all(runs))
        .filter(
          ({ result }) => result.status === "rejected" && !isUpstreamFailure(result.error?.cause),
        )
        .map(
          ({ key, event, result }) =>
            `${event} with hostileUsers.${key}: ${describeError(result.error?.cause)}`,
        );
      if (crashes.length) {
        fail(
          `the recipe crashed on hostile input (validate it, or return skip(reason)):\n${crashes.join("\n")}`,
        );
      }
      const injection = await config.injected?.(emulator);
      if (injection !== undefined) fail(`hostile input was injected at the service: ${injection}`);
    },
    () => prepare(emulator),
  );
}
