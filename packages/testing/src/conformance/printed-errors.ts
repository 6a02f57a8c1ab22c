import type { Emulator } from "../emulator/types.ts";
import type { RecipeTestConfig } from "./config.ts";
import { fail } from "./errors.ts";
import { forEachProvokedError, leakIn } from "./secrets.ts";

/**
 * Every `RecipeError` the suite provokes (see `forEachProvokedError`), printed the four ways apps print
 * what reaches `onError` (`console.error`, `util.inspect`, `JSON.stringify`, pino), shows no secret and
 * no email address of the user: what a log would hold, not only the messages. Loads
 * `@auth-recipes/testing/printed` when it runs, so pino (an optional peer) is needed only by this check.
 */
export async function checkNothingPrinted<E extends Emulator, O extends object>(
  config: RecipeTestConfig<E, O>,
  emulator: E,
): Promise<void> {
  let printedForms: typeof import("../printed.ts").printedForms;
  try {
    ({ printedForms } = await import("../printed.ts"));
  } catch {
    fail(
      "printing errors needs pino, an optional peer dependency of @auth-recipes/testing: install it",
    );
  }
  await forEachProvokedError(
    config,
    emulator,
    ({ fault, event, error, secrets, emails }) => {
      for (const [printer, text] of Object.entries(printedForms(error))) {
        const leak = leakIn(text, secrets, emails);
        if (leak) fail(`with ${fault}, a ${event} error printed by ${printer} contains ${leak}`);
      }
    },
    { hang: true },
  );
}
