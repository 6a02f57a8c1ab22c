import type { ServiceEmulator } from "./emulator/service.ts";
import type { Emulator } from "./emulator/types.ts";
import type { Emulators } from "./emulators.ts";
import { SERVICE_EMULATORS } from "./services.ts";

/**
 * The environment variables that point an app at these emulators instead of the real services: what the
 * `auth-recipes-emulators` bin prints, each listed service's own (`EMAIL_SERVER`, the name next-auth's
 * Email provider reads, and `SMTP_URL`; `SLACK_API_URL` and `SLACK_TOKEN`; …).
 * `AUTH_RECIPES_INBOX_URL` is set when `inboxUrl` is given (see {@link serveInbox}).
 *
 * @example
 * ```ts
 * const emulators = await startEmulators();
 * spawn("next", ["start"], { env: { ...process.env, ...emulatorEnvironment(emulators) } });
 * ```
 */
export function emulatorEnvironment(
  emulators: Emulators,
  inboxUrl?: string,
): Record<string, string> {
  return environmentOf(SERVICE_EMULATORS, emulators, inboxUrl);
}

/**
 * The variables of each of `services`, read from its running emulator in `emulators`: what
 * {@link emulatorEnvironment} prints for the list. Not public: the tests pass a longer list.
 */
export function environmentOf(
  services: readonly ServiceEmulator[],
  emulators: Readonly<Record<string, unknown>>,
  inboxUrl?: string,
): Record<string, string> {
  const variables: Record<string, string> = Object.assign(
    {},
    ...services.map((service) => service.environment(emulators[service.key] as Emulator)),
  );
  if (inboxUrl) variables.AUTH_RECIPES_INBOX_URL = inboxUrl;
  return variables;
}
