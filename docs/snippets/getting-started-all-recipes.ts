// lib/auth.ts, its events with every recipe: each import, client and entry comes with its recipe.
import { composeEvents } from "@auth-recipes/core";
import { segmentTracking } from "@auth-recipes/segment";
import { slackNotify } from "@auth-recipes/slack";
import { stripeCustomer } from "@auth-recipes/stripe";
import { welcomeEmail } from "@auth-recipes/welcome-email";
import { analytics } from "./segment";
import { slack } from "./slack";
import { saveCustomerId, stripe } from "./stripe";

export const events = composeEvents([
  welcomeEmail({
    transport: process.env.EMAIL_SERVER!,
    from: "Acme <hello@acme.com>",
    appName: "Acme",
  }),
  // A falsy entry is skipped: without a token there is simply no Slack recipe.
  process.env.SLACK_TOKEN ? slackNotify({ client: slack, channel: "#signups" }) : null,
  stripeCustomer({ stripe, onCustomerCreated: saveCustomerId }),
  segmentTracking({ analytics }),
]);
