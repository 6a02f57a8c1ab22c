import type { Emulator } from "../emulator/types.ts";
import type { RecipeTestConfig } from "./config.ts";
import { describeError, fail } from "./errors.ts";
import { build, prepare } from "./harness.ts";

/** Each required option, left out, makes the factory throw a `TypeError` whose message names it. */
export async function checkRequiredOptions<E extends Emulator, O extends object>(
  config: RecipeTestConfig<E, O>,
  emulator: E,
): Promise<void> {
  await prepare(emulator);
  build(config, emulator);
  for (const key of config.required ?? []) {
    const options = { ...config.options(emulator) } as Record<string, unknown>;
    delete options[key];
    let thrown: unknown;
    try {
      config.factory(options as O);
    } catch (error) {
      thrown = error;
    }
    if (thrown === undefined) fail(`without option "${key}" the factory did not throw`);
    if (!(thrown instanceof TypeError)) {
      fail(`without option "${key}" the factory threw ${describeError(thrown)}, not a TypeError`);
    }
    if (!thrown.message.includes(key)) {
      fail(
        `without option "${key}" the factory threw a TypeError that does not name it: ${thrown.message}`,
      );
    }
  }
}
