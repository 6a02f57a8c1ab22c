import type { Recipe } from "@auth-recipes/core";
import { segmentTracking } from "@auth-recipes/segment";
import { slackNotify } from "@auth-recipes/slack";
import { stripeCustomer } from "@auth-recipes/stripe";
import type { Emulators } from "@auth-recipes/testing";
import { welcomeEmail } from "@auth-recipes/welcome-email";
import { Analytics } from "@segment/analytics-node";
import { WebClient } from "@slack/web-api";
import Stripe from "stripe";

/**
 * The four recipes, their clients pointed at the local emulators. A real app builds the same clients
 * from its keys (`new Stripe(process.env.STRIPE_SECRET_KEY)`): the recipes do not change.
 */
export function recipesFor(emulators: Emulators): Recipe[] {
  const { smtp, slack, stripe, segment } = emulators;
  return [
    welcomeEmail({ transport: smtp.smtpUrl, from: "Acme <hello@acme.test>", appName: "Acme" }),
    slackNotify({
      // Bounded: the WebClient's defaults retry for about 30 minutes.
      client: new WebClient(slack.token, {
        ...slack.clientOptions,
        retryConfig: { retries: 1, maxTimeout: 1_000 },
        timeout: 3_000,
      }),
      channel: "#signups",
    }),
    stripeCustomer({
      stripe: new Stripe(stripe.apiKey, { ...stripe.clientOptions, telemetry: false }),
    }),
    segmentTracking({
      analytics: new Analytics({ writeKey: segment.writeKey, ...segment.clientOptions }),
    }),
  ];
}
