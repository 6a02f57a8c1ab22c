// No runtime imports: `@auth-recipes/testing/defaults` reads this without loading the emulator.
import type { ServiceDefaults } from "../emulator/service.ts";

/** The credential the PostHog emulator accepts when given none. */
export interface PostHogCredentials {
  /** The one project API key the PostHog emulator accepts. @default "phc_emulator_key" */
  posthogApiKey: string;
}

/** The PostHog emulator's defaults: the bin's port and the project API key it accepts. */
export const posthogDefaults: ServiceDefaults<PostHogCredentials> = Object.freeze({
  port: 4050,
  credentials: Object.freeze({ posthogApiKey: "phc_emulator_key" }),
});
