// The four recipes in a real better-auth instance (SQLite), against @auth-recipes/testing's emulators:
// each delivers what it delivers under next-auth.
import { composeEvents, type Recipe } from "@auth-recipes/core";
import { segmentTracking } from "@auth-recipes/segment";
import { slackNotify } from "@auth-recipes/slack";
import { stripeCustomer } from "@auth-recipes/stripe";
import { type Emulators, events as nextAuth, startEmulators } from "@auth-recipes/testing";
import { welcomeEmail } from "@auth-recipes/welcome-email";
import { Analytics } from "@segment/analytics-node";
import { LogLevel, WebClient } from "@slack/web-api";
import Stripe from "stripe";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type App, startApp } from "./helpers.ts";

let emulators: Emulators;
let app: App | undefined;
beforeAll(async () => {
  emulators = await startEmulators();
});
afterAll(() => emulators.close());
beforeEach(() => emulators.reset());
afterEach(() => app?.close());

function fourRecipes(): Recipe[] {
  const { smtp, slack, stripe, segment } = emulators;
  return [
    welcomeEmail({ transport: smtp.smtpUrl, from: "Acme <hello@acme.test>", appName: "Acme" }),
    slackNotify({
      client: new WebClient(slack.token, {
        ...slack.clientOptions,
        retryConfig: { retries: 0 },
        logLevel: LogLevel.ERROR,
      }),
      channel: "#signups",
    }),
    stripeCustomer({
      stripe: new Stripe(stripe.apiKey, { ...stripe.clientOptions, telemetry: false }),
    }),
    segmentTracking({
      analytics: new Analytics({
        writeKey: segment.writeKey,
        ...segment.clientOptions,
        maxRetries: 0,
      }),
    }),
  ];
}

/** What the four services hold, without what differs from run to run (ids, times, message ids). */
function delivered() {
  const { smtp, slack, stripe, segment } = emulators;
  return {
    mail: smtp.messages.map(({ to, from, subject, text }) => ({ to, from, subject, text })),
    slack: slack.channel("#signups").map((message) => message.text),
    customers: stripe.customers.map(({ email, name, metadata }) => ({ email, name, metadata })),
    segment: segment.messages.map(({ type, userId, event, traits, properties }) => ({
      type,
      userId,
      ...(event ? { event } : {}),
      ...(traits ? { traits } : {}),
      ...(properties ? { properties } : {}),
    })),
  };
}

describe("the four recipes under better-auth", () => {
  it("an email sign-up: one welcome email, one Slack post, one Stripe customer, Signed Up and Signed In", async () => {
    app = await startApp({ recipes: fourRecipes() });
    const { userId } = await app.signUp("alice@example.test");
    expect(app.errors).toEqual([]);
    const { mail, slack, customers, segment } = delivered();
    expect(mail).toMatchObject([
      { to: ["alice@example.test"], subject: expect.stringContaining("Acme") },
    ]);
    expect(slack).toEqual([expect.stringContaining("Alice Liddell")]);
    expect(customers).toEqual([
      { email: "alice@example.test", name: "Alice Liddell", metadata: { userId } },
    ]);
    expect(segment).toEqual([
      { type: "identify", userId, traits: { email: "alice@example.test", name: "Alice Liddell" } },
      { type: "track", userId, event: "Signed Up", properties: {} },
      {
        type: "track",
        userId,
        event: "Signed In",
        properties: { provider: "credential", type: "credentials", isNewUser: true },
      },
    ]);
  });

  it("sign-in, profile update and sign-out: no second email or customer; Signed In, identify, Signed Out", async () => {
    app = await startApp({ recipes: fourRecipes() });
    const { userId } = await app.signUp("alice@example.test");
    emulators.segment.reset();
    const headers = await app.signIn("alice@example.test");
    await app.auth.api.updateUser({ body: { name: "Alice Pleasance" }, headers });
    await app.auth.api.signOut({ headers });
    const { mail, slack, customers, segment } = delivered();
    expect(mail).toHaveLength(1);
    expect(slack).toHaveLength(1);
    // The Stripe recipe keeps the customer in sync on updateUser.
    expect(customers).toEqual([
      { email: "alice@example.test", name: "Alice Pleasance", metadata: { userId } },
    ]);
    expect(segment).toEqual([
      {
        type: "track",
        userId,
        event: "Signed In",
        properties: { provider: "credential", type: "credentials", isNewUser: false },
      },
      {
        type: "identify",
        userId,
        traits: { email: "alice@example.test", name: "Alice Pleasance" },
      },
      { type: "track", userId, event: "Signed Out", properties: {} },
    ]);
    expect(app.errors).toEqual([]);
  });

  it("a social sign-up delivers exactly what next-auth's OAuth sign-up delivers", async () => {
    app = await startApp({ recipes: fourRecipes() });
    const { userId } = await app.signInSocial("bob");
    expect(app.errors).toEqual([]);
    const underBetterAuth = delivered();
    expect(underBetterAuth.customers).toHaveLength(1);
    expect(underBetterAuth.mail).toHaveLength(1);

    // next-auth v4 with an adapter: createUser, linkAccount, signIn (isNewUser), awaited in that order.
    emulators.reset();
    const user = {
      id: userId,
      name: "Bob Social",
      email: "bob@example.test",
      image: "https://avatars.example.test/bob.png",
      emailVerified: new Date(),
    };
    const composed = composeEvents(fourRecipes());
    await composed.createUser?.(nextAuth.createUser(user));
    await composed.linkAccount?.(nextAuth.linkAccount(user));
    await composed.signIn?.(nextAuth.signInOAuth(user, { isNewUser: true }));
    expect(underBetterAuth).toEqual(delivered());
  });

  it("linking a social account to a signed-in user: Account Linked only", async () => {
    app = await startApp({ recipes: fourRecipes() });
    const { userId, headers } = await app.signUp("carol@example.test", "Carol");
    emulators.reset();
    await app.auth.api.linkSocialAccount({
      body: { provider: "github", idToken: { token: "carol" } },
      headers,
    });
    const { mail, slack, customers, segment } = delivered();
    expect({ mail, slack, customers }).toEqual({ mail: [], slack: [], customers: [] });
    expect(segment).toEqual([
      { type: "track", userId, event: "Account Linked", properties: { provider: "github" } },
    ]);
  });
});
