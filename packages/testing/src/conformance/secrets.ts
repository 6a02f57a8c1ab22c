import type { RecipeError } from "@auth-recipes/core";
import type { Emulator } from "../emulator/types.ts";
import { emailsOf, secretsOf } from "../fixtures/leaks.ts";
import { defaultMessage } from "../fixtures/messages.ts";
import type { FixtureUser } from "../fixtures/types.ts";
import { hostileUsers, users } from "../fixtures/users.ts";
import type { RecipeTestConfig } from "./config.ts";
import { fail } from "./errors.ts";
import { defaultEvents, dispatch, prepare } from "./harness.ts";
import { watchedRecipe } from "./instrument.ts";
import { watchingProcess } from "./watch-process.ts";

function errorTexts(error: RecipeError): string[] {
  const texts = [error.message];
  // What the recipe threw, as it was: core prints only a redacted copy (`cause`), but a recipe's own
  // messages must be clean without core's help.
  let cause: unknown = error.unsafeCause;
  for (let depth = 0; depth < 4 && cause !== undefined && cause !== null; depth++) {
    try {
      texts.push(cause instanceof Error ? cause.message : String(cause));
    } catch {
      // An unprintable cause cannot leak through its message.
    }
    cause = typeof cause === "object" ? (cause as { cause?: unknown }).cause : undefined;
  }
  return texts;
}

function masked(secret: string): string {
  return secret.length > 8 ? `${secret.slice(0, 4)}…` : "…";
}

/**
 * No secret (the config's `secrets`, the fixtures' tokens) and no email address of the users dispatched
 * appears in the message of any `RecipeError`, nor in its causes' messages, whether the service answers
 * 500 or 400 or cannot be reached.
 */
export async function checkNoSecretsInErrors<E extends Emulator, O extends object>(
  config: RecipeTestConfig<E, O>,
  emulator: E,
): Promise<void> {
  const { built, recipe } = await watchedRecipe(config, emulator);
  const everyone = [...Object.values(users), ...Object.values(hostileUsers)];
  const scenarios: Array<{ fault: string; apply: () => Promise<void> | void; who: FixtureUser[] }> =
    [
      {
        fault: "500",
        apply: () => emulator.fail({ times: Number.POSITIVE_INFINITY }),
        who: everyone,
      },
      {
        fault: "400",
        apply: () =>
          emulator.fail({
            times: Number.POSITIVE_INFINITY,
            status: 400,
            body: { error: { message: "invalid request", type: "invalid_request_error" } },
          }),
        who: everyone,
      },
      { fault: "connection refused", apply: () => emulator.down(), who: [users.alice] },
    ];
  let failures = 0;
  for (const scenario of scenarios) {
    await watchingProcess(
      async () => {
        await scenario.apply();
        const outcomes = await Promise.all(
          scenario.who.flatMap((user) =>
            defaultEvents(built).map((event) =>
              dispatch(config, recipe, event, defaultMessage(event, user)),
            ),
          ),
        );
        for (const { event, message, errors } of outcomes) {
          const secrets = [...(config.secrets?.(emulator) ?? []), ...secretsOf(message)];
          const emails = emailsOf(message);
          for (const error of errors) {
            failures++;
            for (const text of errorTexts(error)) {
              const secret = secrets.find((s) => s && text.includes(s));
              if (secret) {
                fail(
                  `with ${scenario.fault}, a ${event} error message contains the secret ${masked(secret)}`,
                );
              }
              const lower = text.toLowerCase();
              const email = emails.find((address) => lower.includes(address.toLowerCase()));
              if (email) {
                fail(
                  `with ${scenario.fault}, a ${event} error message contains the email address of the user (${masked(email)})`,
                );
              }
            }
          }
        }
      },
      () => prepare(emulator),
    );
  }
  // Without errors there was nothing to look at: the failure checks say why.
  if (!failures) fail("no error reached onError with the upstream failing: nothing to check");
}
