// No runtime imports: `@auth-recipes/testing/defaults` reads this without loading the emulator.
import type { ServiceDefaults } from "../emulator/service.ts";

/** The credential the Stripe emulator accepts when given none. */
export interface StripeCredentials {
  /** The one secret key the Stripe emulator accepts. @default "sk_test_emulator" */
  stripeApiKey: string;
}

/** The Stripe emulator's defaults: the bin's port and the secret key it accepts. */
export const stripeDefaults: ServiceDefaults<StripeCredentials> = Object.freeze({
  port: 4020,
  credentials: Object.freeze({ stripeApiKey: "sk_test_emulator" }),
});
