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

/** One error the suite provoked, with what must not appear in it. */
export interface ProvokedError {
  /** How the upstream failed: `500`, `400`, `hanging` or `connection refused`. */
  fault: string;
  event: string;
  error: RecipeError;
  /** The config's secrets and the fixtures' tokens in the message dispatched. */
  secrets: string[];
  /** The email addresses in the message dispatched. */
  emails: string[];
}

/**
 * Dispatches every default event with the upstream failing each way the suite provokes (500 and 400 for
 * every user, hostile ones included; refusing connections and, with `hang`, never answering, for one
 * user) and calls `visit` on every `RecipeError` that reaches `onError`. Fails when none does: then
 * there was nothing to look at.
 */
export async function forEachProvokedError<E extends Emulator, O extends object>(
  config: RecipeTestConfig<E, O>,
  emulator: E,
  visit: (provoked: ProvokedError) => void,
  { hang = false }: { hang?: boolean } = {},
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
  // A timeout is core's error, not the recipe's: it has nothing to say about messages, but what a
  // logger prints of it (its cause, a recipe's fields) is checked.
  if (hang) scenarios.push({ fault: "hanging", apply: () => emulator.hang(), who: [users.alice] });
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
            visit({ fault: scenario.fault, event, error, secrets, emails });
          }
        }
      },
      () => prepare(emulator),
    );
  }
  // Without errors there was nothing to look at: the failure checks say why.
  if (!failures) fail("no error reached onError with the upstream failing: nothing to check");
}

/** The first of `secrets` (as it is or URL-encoded) or `emails` (in any case) that `text` holds. */
export function leakIn(
  text: string,
  secrets: readonly string[],
  emails: readonly string[],
): string | undefined {
  const secret = secrets.find(
    (s) => s && (text.includes(s) || text.includes(encodeURIComponent(s))),
  );
  if (secret) return `the secret ${masked(secret)}`;
  const lower = text.toLowerCase();
  const email = emails.find(
    (address) =>
      lower.includes(address.toLowerCase()) ||
      lower.includes(encodeURIComponent(address).toLowerCase()),
  );
  return email ? `the email address of the user (${masked(email)})` : undefined;
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
  await forEachProvokedError(config, emulator, ({ fault, event, error, secrets, emails }) => {
    for (const text of errorTexts(error)) {
      const leak = leakIn(text, secrets, emails);
      if (leak) fail(`with ${fault}, a ${event} error message contains ${leak}`);
    }
  });
}
