// The shared conformance suite, run for each real recipe inside a real better-auth instance: the same
// checks (shape, required options, delivery, idempotent retries, upstream failures, hostile input,
// secrets) and the same expectations at the emulators as each recipe's own suite under next-auth.
// Every recipe here handles only events better-auth has a database hook for (none handles `session`,
// which better-auth reads without a hook), so no check needs its events narrowed for this host.

import { betterAuthHost } from "@auth-recipes/better-auth/testing";
import { type SegmentTrackingOptions, segmentTracking } from "@auth-recipes/segment";
import { type SlackNotifyOptions, slackNotify } from "@auth-recipes/slack";
import { type StripeCustomerOptions, stripeCustomer } from "@auth-recipes/stripe";
import {
  type SegmentEmulator,
  type SlackEmulator,
  type SmtpEmulator,
  type StripeEmulator,
  startSegmentApi,
  startSlackApi,
  startSmtpServer,
  startStripeApi,
} from "@auth-recipes/testing";
import { testRecipe } from "@auth-recipes/testing/vitest";
import { type WelcomeEmailOptions, welcomeEmail } from "@auth-recipes/welcome-email";
import { Analytics } from "@segment/analytics-node";
import { LogLevel, WebClient } from "@slack/web-api";
import Stripe from "stripe";
import { expect } from "vitest";

const host = betterAuthHost();

// Segment: only the traits and properties the recipe sends, all strings where traits.
const TRAITS = new Set(["email", "name"]);
const PROPERTIES = new Set(["provider", "type", "isNewUser"]);

testRecipe<SegmentEmulator, SegmentTrackingOptions>({
  name: "segment",
  host,
  start: () => startSegmentApi(),
  factory: segmentTracking,
  // No SDK retries: the suite's failure checks count the recipe's own attempts.
  options: (segment) => ({
    analytics: new Analytics({
      writeKey: segment.writeKey,
      ...segment.clientOptions,
      maxRetries: 0,
      httpRequestTimeout: 2000,
    }),
  }),
  required: ["analytics"],
  delivered: (segment, { event, user }) => {
    const mine = segment.messages.filter((message) => message.userId === user.id);
    const traits = { email: user.email, name: user.name };
    const expected: Record<string, unknown[]> = {
      createUser: [
        { type: "identify", traits },
        { type: "track", event: "Signed Up" },
      ],
      updateUser: [{ type: "identify", traits }],
      // better-auth's social sign-in of a user it has not seen: the plugin reports a new user.
      signIn: [
        {
          type: "track",
          event: "Signed In",
          properties: { provider: "github", type: "oauth", isNewUser: true },
        },
      ],
      signOut: [{ type: "track", event: "Signed Out" }],
      linkAccount: [{ type: "track", event: "Account Linked", properties: { provider: "github" } }],
    };
    if (!expected[event]) throw new Error(`the recipe should not handle ${event}`);
    expect(mine).toMatchObject(expected[event]);
  },
  injected: (segment) => {
    for (const message of segment.messages) {
      if (message.type !== "identify" && message.type !== "track") return `a ${message.type} call`;
      const traits = Object.entries(message.traits ?? {});
      const extra = traits.find(([key, value]) => !TRAITS.has(key) || typeof value !== "string");
      if (extra) return `an identify call has the trait ${JSON.stringify(extra[0])}`;
      const property = Object.keys(message.properties ?? {}).find((key) => !PROPERTIES.has(key));
      if (property) return `a track call has the property ${JSON.stringify(property)}`;
    }
    return undefined;
  },
  secrets: (segment) => [segment.writeKey],
  effects: (segment) => segment.uniqueMessages().length,
});

const CONTROL = /[\p{Cc}\u2028\u2029]/u;
const ONE_ADDRESS = /^[^\s@,;<>]+@[^\s@,;<>]+$/;

testRecipe<StripeEmulator, StripeCustomerOptions>({
  name: "stripe-customer",
  host,
  start: () => startStripeApi(),
  factory: stripeCustomer,
  options: (stripe) => ({
    stripe: new Stripe(stripe.apiKey, { ...stripe.clientOptions, telemetry: false }),
  }),
  required: ["stripe"],
  delivered: (stripe, { event, user }) => {
    if (event === "createUser") {
      expect(stripe.customers).toMatchObject([
        { email: user.email, name: user.name, metadata: { userId: user.id } },
      ]);
    } else {
      // updateUser with no customer yet: looked up by the user's id, none made.
      expect(stripe.customers).toHaveLength(0);
      expect(stripe.searches.flatMap((search) => search.clauses)).toContainEqual(
        expect.objectContaining({ field: "metadata", key: "userId", value: user.id }),
      );
    }
  },
  injected: (stripe) => {
    const widened = stripe.searches.find((search) => search.clauses.length !== 1);
    if (widened) return `a search query has ${widened.clauses.length} clauses: ${widened.query}`;
    for (const customer of stripe.customers) {
      const { userId, ...other } = customer.metadata;
      if (!userId || Object.keys(other).length) return `metadata ${JSON.stringify(other)}`;
      if (customer.email !== null && !ONE_ADDRESS.test(customer.email)) return "an email list";
      if (customer.name !== null && CONTROL.test(customer.name)) return "a control character";
    }
    return undefined;
  },
  secrets: (stripe) => [stripe.apiKey],
  effects: (stripe) => stripe.customers.length,
  timeoutMs: 500,
});

const SMTP_PASS = "smtp-pass-fixture-7f3a";
const LEGIT = /^[^@\s]+@example\.test$/;

testRecipe<SmtpEmulator, WelcomeEmailOptions>({
  name: "welcome-email",
  host,
  start: () => startSmtpServer({ auth: { user: "mailer", pass: SMTP_PASS } }),
  factory: welcomeEmail,
  options: (smtp) => ({ transport: smtp.smtpUrl, from: "Acme <hello@acme.test>", appName: "Acme" }),
  required: ["transport", "from"],
  delivered: (smtp, { user }) => {
    expect(smtp.messages.map((mail) => mail.envelope.to)).toEqual([[user.email]]);
    expect(smtp.messages[0]?.text).toContain(`Hi ${user.name},`);
  },
  injected: (smtp) => {
    const stray = smtp.requests.find(
      (request) => request.envelope.to.length !== 1 || !LEGIT.test(request.envelope.to[0] ?? ""),
    );
    if (stray) return `a transaction went to ${JSON.stringify(stray.envelope.to)}`;
    for (const mail of smtp.messages) {
      const header = ["bcc", "cc", "x-injected"].find((name) => mail.headers[name] !== undefined);
      if (header) return `a message has a ${header} header`;
      if (/<(script|img|a|b)[\s>]/i.test(mail.html ?? "")) return "markup in the HTML part";
    }
    return undefined;
  },
  secrets: () => [SMTP_PASS],
});

const SLACK_TIMEOUT_MS = 500;

testRecipe<SlackEmulator, SlackNotifyOptions>({
  name: "slack",
  host,
  start: () => startSlackApi(),
  factory: slackNotify,
  // Bounded as the slack README advises: no client retries, a timeout under the recipe's.
  options: (slack) => ({
    client: new WebClient(slack.token, {
      ...slack.clientOptions,
      retryConfig: { retries: 0 },
      timeout: SLACK_TIMEOUT_MS - 200,
      logLevel: LogLevel.ERROR,
    }),
    channel: "#signups",
  }),
  required: ["client", "channel"],
  delivered: (slack, { event, user }) => {
    expect(event).toBe("createUser");
    expect(slack.channel("#signups").map((message) => message.text)).toEqual([
      `New sign-up: ${user.name} (${user.email})`,
    ]);
  },
  injected: (slack) => {
    const found = slack.messages.flatMap((message) => [...message.mentions, ...message.links]);
    return found.length ? `Slack would render ${found.join(", ")}` : undefined;
  },
  secrets: (slack) => [slack.token],
  timeoutMs: SLACK_TIMEOUT_MS,
});
