// No runtime imports: `@auth-recipes/testing/defaults` reads this without loading the emulator.
import type { ServiceDefaults } from "../emulator/service.ts";

/** The secret the webhook receiver verifies with when given none. */
export interface WebhookCredentials {
  /**
   * The Standard Webhooks secret the webhook receiver verifies signatures with.
   * @default "whsec_YXV0aC1yZWNpcGVzIHdlYmhvb2sga2V5"
   */
  webhookSecret: string;
}

/** The webhook receiver's defaults: the bin's port and the secret it verifies with. */
export const webhookDefaults: ServiceDefaults<WebhookCredentials> = Object.freeze({
  port: 4060,
  // A test secret, public on purpose: "auth-recipes webhook key" in base64.
  credentials: Object.freeze({ webhookSecret: "whsec_YXV0aC1yZWNpcGVzIHdlYmhvb2sga2V5" }),
});
