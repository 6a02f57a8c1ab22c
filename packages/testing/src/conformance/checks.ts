import type { Emulator } from "../emulator/types.ts";
import type { ConformanceCheck, RecipeTestConfig } from "./config.ts";
import { checkDelivery } from "./delivery.ts";
import { timeoutOf } from "./harness.ts";
import { hostOf } from "./host.ts";
import { checkHostileInput } from "./hostile-input.ts";
import { checkIdempotentRetry } from "./idempotent-retry.ts";
import { checkNothingPrinted } from "./printed-errors.ts";
import { checkRequiredOptions } from "./required-options.ts";
import { checkNoSecretsInErrors } from "./secrets.ts";
import { checkRecipeShape } from "./shape.ts";
import { checkUpstreamFailure, FAULT_NAMES } from "./upstream-failure.ts";

/**
 * The checks every recipe owes, in the order they run: shape, required options, delivery, (with
 * `effects`) idempotent retries, the three upstream failures, hostile input, secrets in messages and
 * in what a logger prints. `testRecipe`
 * from `@auth-recipes/testing/vitest` registers them as tests; other runners can loop over them.
 *
 * The idempotency check counts every effect the emulator holds, so it runs before the checks that make
 * deliveries fail: a recipe that keeps a failed call and delivers it later (as it should, when nothing
 * may be lost) would otherwise have that late effect counted as a duplicate of the retried delivery.
 */
export function conformanceChecks<E extends Emulator, O extends object>(
  config: RecipeTestConfig<E, O>,
): ConformanceCheck<E>[] {
  timeoutOf(config);
  hostOf(config);
  return [
    {
      title: `is a valid recipe named "${config.name}" that handles only next-auth's events`,
      run: (emulator) => checkRecipeShape(config, emulator),
    },
    {
      title: "throws a TypeError naming each missing required option",
      run: (emulator) => checkRequiredOptions(config, emulator),
    },
    {
      title: "delivers each default event to the service",
      run: (emulator) => checkDelivery(config, emulator),
    },
    ...(config.effects
      ? [
          {
            title: "does not duplicate its effect when a delivery is retried",
            run: (emulator: E) => checkIdempotentRetry(config, emulator),
          },
        ]
      : []),
    ...(["error", "hang", "down"] as const).map((fault) => ({
      title: `settles within its timeout and reports to onError when the upstream is ${FAULT_NAMES[fault]}`,
      run: (emulator: E) => checkUpstreamFailure(config, emulator, fault),
    })),
    {
      title: "neither crashes nor injects with hostile users",
      run: (emulator) => checkHostileInput(config, emulator),
    },
    {
      title: "keeps secrets and email addresses out of error messages",
      run: (emulator) => checkNoSecretsInErrors(config, emulator),
    },
    {
      title: "prints no secret or email address when its errors are logged",
      run: (emulator) => checkNothingPrinted(config, emulator),
    },
  ];
}
