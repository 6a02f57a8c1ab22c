// No runtime imports: `@auth-recipes/testing/defaults` reads this without loading the emulator.
import type { ServiceDefaults } from "../emulator/service.ts";

/** The credential the Slack emulator accepts when given none. */
export interface SlackCredentials {
  /** The one token the Slack emulator accepts. @default "xoxb-emulated-0000-token" */
  slackToken: string;
}

/** The Slack emulator's defaults: the bin's port and the token it accepts. */
export const slackDefaults: ServiceDefaults<SlackCredentials> = Object.freeze({
  port: 4010,
  credentials: Object.freeze({ slackToken: "xoxb-emulated-0000-token" }),
});
