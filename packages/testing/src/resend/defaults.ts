// No runtime imports: `@auth-recipes/testing/defaults` reads this without loading the emulator.
import type { ServiceDefaults } from "../emulator/service.ts";

/** The credential the Resend emulator accepts when given none. */
export interface ResendCredentials {
  /** The one API key the Resend emulator accepts. @default "re_emulator_key" */
  resendApiKey: string;
}

/** The Resend emulator's defaults: the bin's port and the API key it accepts. */
export const resendDefaults: ServiceDefaults<ResendCredentials> = Object.freeze({
  port: 4040,
  credentials: Object.freeze({ resendApiKey: "re_emulator_key" }),
});
