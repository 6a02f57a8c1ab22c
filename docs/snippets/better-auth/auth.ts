// auth.ts: the same recipes as next-auth's events, as one better-auth plugin.
import { authRecipes } from "@auth-recipes/better-auth";
import { segmentTracking } from "@auth-recipes/segment";
import { slackNotify } from "@auth-recipes/slack";
import { stripeCustomer } from "@auth-recipes/stripe";
import { welcomeEmail } from "@auth-recipes/welcome-email";
import { betterAuth } from "better-auth";
import Database from "better-sqlite3";
import { analytics } from "../segment";
import { slack } from "../slack";
import { stripe } from "../stripe";

export const auth = betterAuth({
  database: new Database("auth.sqlite"),
  emailAndPassword: { enabled: true },
  plugins: [
    authRecipes(
      [
        welcomeEmail({ transport: process.env.SMTP_URL!, from: "Acme <hello@acme.com>" }),
        !!process.env.SLACK_TOKEN && slackNotify({ client: slack, channel: "#signups" }),
        stripeCustomer({ stripe }),
        segmentTracking({ analytics }),
      ],
      { timeoutMs: 5_000, retry: true },
    ),
  ],
});
