// The clients the examples share: each recipe takes the SDK client you made, never an env variable.
import { DrizzleAdapter } from "@auth/drizzle-adapter";
import type { CustomerCreatedInfo } from "@auth-recipes/stripe";
import { Analytics } from "@segment/analytics-node";
import { WebClient } from "@slack/web-api";
import { eq } from "drizzle-orm";
import EmailProvider from "next-auth/providers/email";
import GitHubProvider from "next-auth/providers/github";
import Stripe from "stripe";
import { db } from "./db";
import { accounts, sessions, users, verificationTokens } from "./db/schema";

export const adapter = DrizzleAdapter(db, {
  usersTable: users,
  accountsTable: accounts,
  sessionsTable: sessions,
  verificationTokensTable: verificationTokens,
});

export const providers = [
  GitHubProvider({ clientId: process.env.GITHUB_ID!, clientSecret: process.env.GITHUB_SECRET! }),
  EmailProvider({ server: process.env.EMAIL_SERVER!, from: "Acme <hello@acme.com>" }),
];

// Set by `npx auth-recipes-emulators` to try it all locally; unset, each SDK talks to its real service.
const { SLACK_API_URL, STRIPE_HOST, STRIPE_PORT, STRIPE_PROTOCOL, SEGMENT_HOST, SEGMENT_PATH } =
  process.env;

// Bounded: @slack/web-api's defaults retry for about 30 minutes and never time out.
export const slack = new WebClient(process.env.SLACK_TOKEN, {
  timeout: 5_000,
  retryConfig: { retries: 1 },
  ...(SLACK_API_URL && { slackApiUrl: SLACK_API_URL }),
});

export const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!, {
  maxNetworkRetries: 2,
  ...(STRIPE_HOST && {
    host: STRIPE_HOST,
    port: Number(STRIPE_PORT),
    protocol: STRIPE_PROTOCOL === "http" ? "http" : "https",
  }),
});

export const analytics = new Analytics({
  writeKey: process.env.SEGMENT_WRITE_KEY!,
  ...(SEGMENT_HOST && { host: SEGMENT_HOST, path: SEGMENT_PATH }),
});

/** Stores the user's Stripe customer id: one UPDATE of one column, so a retry can repeat it. */
export async function saveCustomerId({ user, customer }: CustomerCreatedInfo): Promise<void> {
  if (!user.id) return;
  await db.update(users).set({ stripeCustomerId: customer.id }).where(eq(users.id, user.id));
}
