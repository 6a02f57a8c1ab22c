// auth.ts (Auth.js v5: next-auth@5)
import { DrizzleAdapter } from "@auth/drizzle-adapter";
import { composeEvents } from "@auth-recipes/core";
import { segmentTracking } from "@auth-recipes/segment";
import { slackNotify } from "@auth-recipes/slack";
import { stripeCustomer } from "@auth-recipes/stripe";
import { welcomeEmail } from "@auth-recipes/welcome-email";
import NextAuth from "next-auth";
import GitHub from "next-auth/providers/github";
import Nodemailer from "next-auth/providers/nodemailer";
import { db } from "../db";
import { analytics } from "../segment";
import { slack } from "../slack";
import { saveCustomerId, stripe } from "../stripe";

export const { handlers, auth, signIn, signOut } = NextAuth({
  adapter: DrizzleAdapter(db),
  providers: [GitHub, Nodemailer({ server: process.env.EMAIL_SERVER, from: "hello@acme.com" })],
  events: composeEvents(
    [
      welcomeEmail({ transport: process.env.EMAIL_SERVER!, from: "Acme <hello@acme.com>" }),
      // A falsy entry is skipped: no token, no Slack recipe.
      process.env.SLACK_TOKEN ? slackNotify({ client: slack, channel: "#signups" }) : null,
      stripeCustomer({ stripe, onCustomerCreated: saveCustomerId }),
      segmentTracking({ analytics }),
    ],
    { timeoutMs: 5_000, retry: { retries: 2 } },
  ),
});
