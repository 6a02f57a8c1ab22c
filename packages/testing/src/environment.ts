import type { Emulators } from "./emulators.ts";
import { type EmulatorOf, SERVICE_EMULATORS, type ServiceKey } from "./services.ts";

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
  type AnyEnvironment = (emulator: EmulatorOf<ServiceKey>) => Record<string, string>;
  const variables: Record<string, string> = Object.assign(
    {},
    ...SERVICE_EMULATORS.map((service) =>
      (service.environment as AnyEnvironment)(emulators[service.key]),
    ),
  );
  if (inboxUrl) variables.AUTH_RECIPES_INBOX_URL = inboxUrl;
  return variables;
}
