import { prefixed } from "@auth-recipes/core/kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { conformanceChecks } from "./conformance/checks.ts";
import type { RecipeTestConfig } from "./conformance/config.ts";
import { hostOf } from "./conformance/host.ts";
import { checkManifestEvents } from "./conformance/manifest-events.ts";
import type { Emulator } from "./emulator/types.ts";

/**
 * Registers the recipe conformance suite with Vitest: call it at the top level of a recipe's test file.
 * It starts the emulator once (`beforeAll`), closes it after (`afterAll`), and runs each check of
 * {@link conformanceChecks} as its own test, the emulator reset before each, and checks that the recipe
 * handles by default the events its package's `"auth-recipes"` manifest lists (when it has one), under
 * `<name> on <host>: recipe conformance` (the host is next-auth unless `config.host` says otherwise).
 *
 * @example
 * ```ts
 * import { startSlackApi, type SlackEmulator } from "@auth-recipes/testing";
 * import { testRecipe } from "@auth-recipes/testing/vitest";
 *
 * testRecipe<SlackEmulator, SlackNotifyOptions>({
 *   name: "slack",
 *   start: () => startSlackApi(),
 *   factory: slackNotify,
 *   options: (slack) => ({
 *     client: new WebClient(slack.token, { ...slack.clientOptions, retryConfig: { retries: 0 } }),
 *     channel: "#signups",
 *   }),
 *   required: ["client", "channel"],
 *   delivered: (slack, { user }) => expect(slack.channel("#signups")[0]?.text).toContain(user.name),
 *   secrets: (slack) => [slack.token],
 * });
 * ```
 */
export function testRecipe<E extends Emulator, O extends object>(
  config: RecipeTestConfig<E, O>,
): void {
  const checks = conformanceChecks(config);
  const host = hostOf(config);
  // Room for the slowest check (the idempotency check waits out a delayed answer), on a busy machine.
  const testTimeoutMs = 30_000 + 10 * (config.timeoutMs ?? 1000);
  describe(`${config.name} on ${host.name}: recipe conformance`, () => {
    let emulator: E | undefined;
    beforeAll(async () => {
      emulator = await config.start();
    }, testTimeoutMs);
    afterAll(async () => {
      await emulator?.close();
    }, testTimeoutMs);
    for (const check of checks) {
      it(
        check.title,
        async () => {
          if (!emulator) throw new Error(prefixed("testing", "the emulator did not start"));
          await check.run(emulator);
        },
        testTimeoutMs,
      );
    }
    it(
      "handles by default the events its package's manifest lists",
      async () => {
        if (!emulator) throw new Error(prefixed("testing", "the emulator did not start"));
        const testFile = expect.getState().testPath;
        if (testFile) await checkManifestEvents(config, emulator, testFile);
      },
      testTimeoutMs,
    );
  });
}

export type {
  ConformanceCheck,
  Delivery,
  RecipeTestConfig,
  UpstreamFault,
} from "./conformance/config.ts";
export type { RecipeHost } from "./conformance/host.ts";
