import { composeEvents } from "@auth-recipes/core";
import { segmentTracking } from "@auth-recipes/segment";
import { slackNotify } from "@auth-recipes/slack";
import { stripeCustomer } from "@auth-recipes/stripe";
import { welcomeEmail } from "@auth-recipes/welcome-email";
import type { NextAuthOptions } from "next-auth";
import { adapter, providers } from "./next-auth-setup";
import { analytics } from "./segment";
import { slack } from "./slack";
import { saveCustomerId, stripe } from "./stripe";
export const authOptions: NextAuthOptions = {
  adapter,
  providers,
  events: composeEvents(
    [
      welcomeEmail({ transport: process.env.EMAIL_SERVER!, from: "Acme <hello@acme.com>" }),
      slackNotify({ client: slack, channel: "#signups" }),
      stripeCustomer({ stripe, onCustomerCreated: saveCustomerId }),
      segmentTracking({ analytics }),
    ],
    { timeoutMs: 5_000, retry: { retries: 2 }, onError: (error) => console.warn(error.message) },
  ),
};
