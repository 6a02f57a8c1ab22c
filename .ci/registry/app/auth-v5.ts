// The root README's configuration for Auth.js v5 (next-auth@5 beta): the same recipes, in `NextAuth()`.
import { composeEvents, type RecipeError } from "@auth-recipes/core";
import { segmentTracking } from "@auth-recipes/segment";
import { slackNotify } from "@auth-recipes/slack";
import { stripeCustomer } from "@auth-recipes/stripe";
import { welcomeEmail } from "@auth-recipes/welcome-email";
import { Analytics } from "@segment/analytics-node";
import { WebClient } from "@slack/web-api";
import NextAuth, { type NextAuthConfig } from "next-auth";
import Stripe from "stripe";

declare function saveCustomerId(userId: string, customerId: string): Promise<void>;
declare const logger: { warn(error: RecipeError): void };

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
const analytics = new Analytics({ writeKey: process.env.SEGMENT_WRITE_KEY! });

export const config: NextAuthConfig = {
  providers: [],
  events: composeEvents(
    [
      welcomeEmail({ transport: process.env.EMAIL_SERVER!, from: "hello@example.com" }),
      process.env.SLACK_TOKEN &&
        slackNotify({ client: new WebClient(process.env.SLACK_TOKEN), channel: "#signups" }),
      stripeCustomer({
        stripe,
        onCustomerCreated: ({ user, customer }) => saveCustomerId(user.id!, customer.id),
      }),
      segmentTracking({ analytics }),
    ],
    { timeoutMs: 5_000, retry: { retries: 2 }, onError: (error) => logger.warn(error) },
  ),
};

export const { handlers, auth } = NextAuth(config);
