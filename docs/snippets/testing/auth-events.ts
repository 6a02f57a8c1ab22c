// lib/auth-events.ts: the app's side effects, built from the clients it is given, so that a test can
// hand it clients pointed at the emulators. auth.ts calls it with the real ones.
import { type ComposedEvents, type ComposeOptions, composeEvents } from "@auth-recipes/core";
import { segmentTracking } from "@auth-recipes/segment";
import { slackNotify } from "@auth-recipes/slack";
import { type CustomerCreatedInfo, stripeCustomer } from "@auth-recipes/stripe";
import { type WelcomeEmailTransport, welcomeEmail } from "@auth-recipes/welcome-email";
import type { Analytics } from "@segment/analytics-node";
import type { WebClient } from "@slack/web-api";
import type Stripe from "stripe";

export interface AuthEventClients {
  mail: WelcomeEmailTransport;
  slack: WebClient;
  stripe: Stripe;
  analytics: Analytics;
  onCustomerCreated?: (info: CustomerCreatedInfo) => Promise<void>;
}

export function authEvents(
  clients: AuthEventClients,
  options: ComposeOptions = {},
): ComposedEvents {
  return composeEvents(
    [
      welcomeEmail({ transport: clients.mail, from: "Acme <hello@acme.test>", appName: "Acme" }),
      slackNotify({ client: clients.slack, channel: "#signups" }),
      stripeCustomer({ stripe: clients.stripe, onCustomerCreated: clients.onCustomerCreated }),
      segmentTracking({ analytics: clients.analytics }),
    ],
    { timeoutMs: 5_000, retry: { retries: 2 }, ...options },
  );
}
