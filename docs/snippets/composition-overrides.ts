import { composeEvents } from "@auth-recipes/core";
import { slackNotify } from "@auth-recipes/slack";
import { stripeCustomer } from "@auth-recipes/stripe";
import { welcomeEmail } from "@auth-recipes/welcome-email";
import { slack } from "./slack";
import { saveCustomerId, stripe } from "./stripe";

export const events = composeEvents(
  [
    // A recipe's own timeoutMs and retry win over the defaults below.
    welcomeEmail({
      transport: process.env.EMAIL_SERVER!,
      from: "hello@acme.com",
      timeoutMs: 15_000,
      retry: { retries: 4, maxDelayMs: 2_000 },
    }),
    // Slack does not deduplicate posts, so a retry after a lost answer could post twice: turn
    // retries off for it alone.
    slackNotify({ client: slack, channel: "#signups", retry: false }),
    stripeCustomer({ stripe, onCustomerCreated: saveCustomerId }),
  ],
  {
    timeoutMs: 5_000, // each attempt of each handler
    retry: { retries: 2, minDelayMs: 200 }, // only failures isRetryable() accepts
  },
);
