// test/auth-events.test.ts: the app's events against local emulators of SMTP, Slack, Stripe and
// Segment, with the real SDKs, on 127.0.0.1. Nothing reaches the real services.
import type { ComposeOptions, RecipeError } from "@auth-recipes/core";
import { type Emulators, events as fixtures, startEmulators, users } from "@auth-recipes/testing";
import { Analytics } from "@segment/analytics-node";
import { WebClient } from "@slack/web-api";
import Stripe from "stripe";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { authEvents } from "./auth-events";

let emulators: Emulators;
const analyticsClients: Analytics[] = [];

beforeAll(async () => {
  emulators = await startEmulators();
});
afterAll(() => emulators.close());
beforeEach(() => emulators.reset());
afterEach(async () => {
  await Promise.all(analyticsClients.splice(0).map((client) => client.closeAndFlush()));
});

/** The app's events, with every client pointed at its emulator and the SDKs' own retries off. */
function appEvents(options?: ComposeOptions) {
  const { smtp, slack, stripe, segment } = emulators;
  const analytics = new Analytics({ writeKey: segment.writeKey, ...segment.clientOptions });
  analyticsClients.push(analytics);
  return authEvents(
    {
      mail: smtp.smtpUrl,
      slack: new WebClient(slack.token, { ...slack.clientOptions, retryConfig: { retries: 0 } }),
      stripe: new Stripe(stripe.apiKey, { ...stripe.clientOptions, maxNetworkRetries: 0 }),
      analytics,
    },
    options,
  );
}

it("sends a sign-up to every service", async () => {
  const events = appEvents();
  await events.createUser?.(fixtures.createUser(users.alice));

  expect(emulators.smtp.messages.map((mail) => mail.envelope.to)).toEqual([["alice@example.test"]]);
  expect(emulators.slack.channel("#signups")).toHaveLength(1);
  expect(emulators.stripe.customers.map((customer) => customer.metadata.userId)).toEqual([
    "user_alice",
  ]);
  expect(emulators.segment.messages.map(({ type, event }) => event ?? type)).toEqual([
    "identify",
    "Signed Up",
  ]);
});

it("still welcomes the user when Stripe is down, and reports Stripe", async () => {
  await emulators.stripe.down(); // connections refused, until up()
  const errors: RecipeError[] = [];
  const events = appEvents({ retry: false, timeoutMs: 2_000, onError: (e) => errors.push(e) });

  try {
    await events.createUser?.(fixtures.createUser(users.bob));
  } finally {
    await emulators.stripe.up();
  }

  expect(errors.map((error) => [error.recipe, error.event])).toEqual([
    ["stripe-customer", "createUser"],
  ]);
  expect(errors[0]?.message).not.toContain("bob@example.test");
  expect(emulators.smtp.messages).toHaveLength(1);
  expect(emulators.slack.channel("#signups")).toHaveLength(1);
});

it("posts nothing that pings the channel, whatever the user's name", async () => {
  const events = appEvents();
  await events.createUser?.({
    user: { id: "u_evil", name: "<!channel> hi", email: "e@example.test" },
  });

  const [message] = emulators.slack.channel("#signups");
  expect(message?.mentions).toEqual([]);
});
