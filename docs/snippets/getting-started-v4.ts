// lib/auth.ts (next-auth v4)
import { composeEvents } from "@auth-recipes/core";
import { slackNotify } from "@auth-recipes/slack";
import { welcomeEmail } from "@auth-recipes/welcome-email";
import type { NextAuthOptions } from "next-auth";
import { adapter, providers, slack } from "./clients";

export const authOptions: NextAuthOptions = {
  // createUser fires only with a database adapter: the welcome email needs one.
  adapter,
  providers,
  events: composeEvents([
    welcomeEmail({
      transport: process.env.EMAIL_SERVER!, // the same SMTP URL the Email provider uses
      from: "Acme <hello@acme.com>",
      appName: "Acme",
    }),
    // A falsy entry is skipped: without a token there is simply no Slack recipe.
    process.env.SLACK_TOKEN ? slackNotify({ client: slack, channel: "#signups" }) : null,
    // A plain next-auth events object works too, and gets the same isolation.
    { signIn: ({ user }) => console.info("sign-in", user.id) },
  ]),
};
