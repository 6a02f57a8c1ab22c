import type { Emulators } from "./emulators.ts";

/**
 * The environment variables that point an app at these emulators instead of the real services: what the
 * `auth-recipes-emulators` bin prints. `EMAIL_SERVER` is the name next-auth's Email provider reads;
 * `RESEND_BASE_URL` is the Resend SDK's (the key it accepts is `EMULATOR_DEFAULTS.resendApiKey`);
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
  const { smtp, slack, stripe, segment, resend } = emulators;
  const variables: Record<string, string> = {
    // next-auth's Email provider reads EMAIL_SERVER; the welcome-email recipe takes the same URL.
    EMAIL_SERVER: smtp.smtpUrl,
    SMTP_URL: smtp.smtpUrl,
    SLACK_API_URL: slack.clientOptions.slackApiUrl,
    SLACK_TOKEN: slack.token,
    STRIPE_HOST: stripe.clientOptions.host,
    STRIPE_PORT: String(stripe.clientOptions.port),
    STRIPE_PROTOCOL: stripe.clientOptions.protocol,
    STRIPE_SECRET_KEY: stripe.apiKey,
    SEGMENT_HOST: segment.clientOptions.host,
    SEGMENT_PATH: segment.clientOptions.path,
    SEGMENT_WRITE_KEY: segment.writeKey,
    // The resend SDK reads RESEND_BASE_URL itself when no baseUrl is given. No RESEND_API_KEY: apps take
    // its presence to mean "send with Resend" (the SDK's `new Resend()` reads it, the example app switches
    // its welcome email to Resend), and pointing an app at the emulators must not change how it sends.
    // The emulator accepts EMULATOR_DEFAULTS.resendApiKey.
    RESEND_BASE_URL: resend.clientOptions.baseUrl,
  };
  if (inboxUrl) variables.AUTH_RECIPES_INBOX_URL = inboxUrl;
  return variables;
}
