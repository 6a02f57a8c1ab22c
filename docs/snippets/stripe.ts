// lib/stripe.ts: the Stripe client for stripeCustomer, and where the customer id is stored. Only the
// Stripe recipe imports it: Stripe's constructor throws without a key, so an app without the recipe
// must not load this module.
import type { CustomerCreatedInfo } from "@auth-recipes/stripe";
import { eq } from "drizzle-orm";
import Stripe from "stripe";
import { db } from "./db";
import { users } from "./db/schema";

// STRIPE_HOST, STRIPE_PORT, STRIPE_PROTOCOL are set by `npx auth-recipes-emulators` only.
const { STRIPE_HOST, STRIPE_PORT, STRIPE_PROTOCOL } = process.env;

export const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!, {
  maxNetworkRetries: 2,
  ...(STRIPE_HOST && {
    host: STRIPE_HOST,
    port: Number(STRIPE_PORT),
    protocol: STRIPE_PROTOCOL === "http" ? "http" : "https",
  }),
});

/** Stores the user's Stripe customer id: one UPDATE of one column, so a retry can repeat it. */
export async function saveCustomerId({ user, customer }: CustomerCreatedInfo): Promise<void> {
  if (!user.id) return;
  await db.update(users).set({ stripeCustomerId: customer.id }).where(eq(users.id, user.id));
}
