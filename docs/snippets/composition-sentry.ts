import { composeEvents } from "@auth-recipes/core";
import { stripeCustomer } from "@auth-recipes/stripe";
import * as Sentry from "@sentry/node";
import { saveCustomerId, stripe } from "./stripe";

export const events = composeEvents(
  [stripeCustomer({ stripe, onCustomerCreated: saveCustomerId })],
  {
    onError: (error) => {
      Sentry.captureException(error, {
        tags: { recipe: error.recipe, event: error.event, timedOut: error.timedOut },
        extra: { attempts: error.attempts },
        // One issue per recipe and event, not one per distinct upstream message.
        fingerprint: ["auth-recipes", error.recipe, error.event],
      });
    },
  },
);
