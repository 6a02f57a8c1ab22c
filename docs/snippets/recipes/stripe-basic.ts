import { composeEvents } from "@auth-recipes/core";
import { stripeCustomer } from "@auth-recipes/stripe";
import Stripe from "stripe";

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);

export const events = composeEvents(
  [
    stripeCustomer({
      stripe,
      customerParams: (user) => ({ preferred_locales: ["en"], description: `user ${user.id}` }),
    }),
  ],
  // Retrying is safe: every attempt for a user sends the same idempotency key.
  { retry: true, timeoutMs: 5_000 },
);
