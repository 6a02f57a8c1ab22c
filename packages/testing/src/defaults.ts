// The one place the emulators' defaults are written: the emulators, the `auth-recipes-emulators` bin,
// the example app and the bench read them from here (`@auth-recipes/testing/defaults` has no imports,
// so an app can read it on any runtime without loading the emulators).

/** The ports the `auth-recipes-emulators` bin listens on when given none. */
export interface EmulatorPorts {
  /** @default 2525 */
  smtp: number;
  /** @default 4010 */
  slack: number;
  /** @default 4020 */
  stripe: number;
  /** @default 4030 */
  segment: number;
  /** @default 4050 */
  posthog: number;
  /** The webhook receiver's. @default 4060 */
  webhook: number;
  /** @default 4040 */
  resend: number;
  /** The inbox server's (`GET /_inbox`). @default 4000 */
  inbox: number;
}

/** What the emulators listen on and accept when started without options. */
export interface EmulatorDefaults {
  /** The address every emulator listens on. @default "127.0.0.1" */
  host: string;
  /** The bin's fixed ports (a test's emulators take free ones: port 0). */
  ports: Readonly<EmulatorPorts>;
  /** The one token the Slack emulator accepts. @default "xoxb-emulated-0000-token" */
  slackToken: string;
  /** The one secret key the Stripe emulator accepts. @default "sk_test_emulator" */
  stripeApiKey: string;
  /** The one write key the Segment emulator accepts. @default "emulated-segment-write-key" */
  segmentWriteKey: string;
  /** The one project API key the PostHog emulator accepts. @default "phc_emulator_key" */
  posthogApiKey: string;
  /**
   * The Standard Webhooks secret the webhook receiver verifies signatures with.
   * @default "whsec_YXV0aC1yZWNpcGVzIHdlYmhvb2sga2V5"
   */
  webhookSecret: string;
  /** The one API key the Resend emulator accepts. @default "re_emulator_key" */
  resendApiKey: string;
}

/**
 * The emulators' defaults: their address, the bin's ports and the credentials they accept.
 *
 * @example
 * ```ts
 * import { EMULATOR_DEFAULTS } from "@auth-recipes/testing/defaults";
 * const { host, ports } = EMULATOR_DEFAULTS;
 * const slack = new WebClient(EMULATOR_DEFAULTS.slackToken, { slackApiUrl: `http://${host}:${ports.slack}/api/` });
 * ```
 */
export const EMULATOR_DEFAULTS: Readonly<EmulatorDefaults> = Object.freeze({
  host: "127.0.0.1",
  ports: Object.freeze({
    smtp: 2525,
    slack: 4010,
    stripe: 4020,
    segment: 4030,
    posthog: 4050,
    webhook: 4060,
    resend: 4040,
    inbox: 4000,
  }),
  slackToken: "xoxb-emulated-0000-token",
  stripeApiKey: "sk_test_emulator",
  segmentWriteKey: "emulated-segment-write-key",
  posthogApiKey: "phc_emulator_key",
  // A test secret, public on purpose: "auth-recipes webhook key" in base64.
  webhookSecret: "whsec_YXV0aC1yZWNpcGVzIHdlYmhvb2sga2V5",
  resendApiKey: "re_emulator_key",
});
