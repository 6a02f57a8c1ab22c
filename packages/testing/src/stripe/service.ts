import { masked } from "../emulator/masked.ts";
import type { ServiceEmulator } from "../emulator/service.ts";
import type { RecordedRequest } from "../emulator/types.ts";
import { type StripeCredentials, stripeDefaults } from "./defaults.ts";
import type { StripeApiOptions, StripeCustomerRecord, StripeEmulator } from "./types.ts";

/** What the inbox shows of the Stripe emulator. */
export interface StripeInbox {
  url: string;
  customers: StripeCustomerRecord[];
  requests: RecordedRequest[];
}

/** Stripe in the list of emulators: `STRIPE_HOST`, `STRIPE_PORT`, `STRIPE_PROTOCOL`, `STRIPE_SECRET_KEY`. */
export const stripeService: ServiceEmulator<
  "stripe",
  StripeEmulator,
  StripeApiOptions,
  StripeInbox,
  StripeCredentials
> = {
  key: "stripe",
  title: "Stripe API",
  defaults: stripeDefaults,
  // Imported when started: the list, and EMULATOR_DEFAULTS derived from it, load no emulator.
  start: async (options) => (await import("./api.ts")).startStripeApi(options),
  environment: (stripe) => ({
    STRIPE_HOST: stripe.clientOptions.host,
    STRIPE_PORT: String(stripe.clientOptions.port),
    STRIPE_PROTOCOL: stripe.clientOptions.protocol,
    STRIPE_SECRET_KEY: stripe.apiKey,
  }),
  inbox: (stripe) => ({
    url: stripe.url,
    customers: stripe.customers,
    requests: masked(stripe.requests),
  }),
};
