import { composeEvents, type RecipeError } from "@auth-recipes/core";
import { Analytics } from "@segment/analytics-node";
import { WebClient } from "@slack/web-api";
import nodemailer from "nodemailer";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  defaultMessage,
  EMULATOR_DEFAULTS,
  type Emulators,
  startEmulators,
  startHttpEmulator,
  TOKEN_MARKERS,
  users,
} from "../src/index.ts";

// The SDK clients an app would make, pointed at the emulators, each bounded so a test cannot hang.
function clients(emulators: Emulators) {
  const { smtp, slack, stripe, segment } = emulators;
  return {
    mailer: nodemailer.createTransport({ ...smtp.clientOptions }),
    slack: new WebClient(slack.token, {
      ...slack.clientOptions,
      retryConfig: { retries: 0 },
      timeout: 2000,
    }),
    stripe: new Stripe(stripe.apiKey, {
      ...stripe.clientOptions,
      maxNetworkRetries: 0,
      timeout: 2000,
      telemetry: false,
    }),
    analytics: new Analytics({
      writeKey: segment.writeKey,
      ...segment.clientOptions,
      flushAt: 1,
      maxRetries: 0,
      httpRequestTimeout: 2000,
    }),
  };
}

let emulators: Emulators;
let sdk: ReturnType<typeof clients>;
beforeAll(async () => {
  emulators = await startEmulators();
  sdk = clients(emulators);
});
afterAll(async () => {
  await sdk.analytics.closeAndFlush({ timeout: 2000 });
  await emulators.close();
});

describe("startEmulators", () => {
  it("starts all four on 127.0.0.1, each with the client options its SDK takes", () => {
    const { smtp, slack, stripe, segment, webhook } = emulators;
    const ports = new Set([smtp.port, slack.port, stripe.port, segment.port, webhook.port]);
    expect(ports.size).toBe(5);
    expect(webhook.hookUrl).toBe(`http://127.0.0.1:${webhook.port}/webhook`);
    expect(webhook.secret).toBe(EMULATOR_DEFAULTS.webhookSecret);
    expect(smtp.clientOptions).toMatchObject({ host: "127.0.0.1", port: smtp.port, secure: false });
    expect(smtp.smtpUrl).toBe(`smtp://127.0.0.1:${smtp.port}`);
    expect(slack.clientOptions).toEqual({ slackApiUrl: `http://127.0.0.1:${slack.port}/api/` });
    expect(stripe.clientOptions).toEqual({
      host: "127.0.0.1",
      port: stripe.port,
      protocol: "http",
    });
    expect(segment.clientOptions).toEqual({
      host: `http://127.0.0.1:${segment.port}`,
      path: "/v1/batch",
    });
  });

  it("accepts the credentials of EMULATOR_DEFAULTS, and only those, when started without options", async () => {
    const { slack, stripe, segment } = emulators;
    expect([slack.token, stripe.apiKey, segment.writeKey]).toEqual([
      EMULATOR_DEFAULTS.slackToken,
      EMULATOR_DEFAULTS.stripeApiKey,
      EMULATOR_DEFAULTS.segmentWriteKey,
    ]);
    const slackWith = (token: string) =>
      new WebClient(token, { ...slack.clientOptions, retryConfig: { retries: 0 }, timeout: 2000 });
    expect((await slackWith(EMULATOR_DEFAULTS.slackToken).auth.test()).ok).toBe(true);
    await expect(slackWith("xoxb-other").auth.test()).rejects.toMatchObject({
      data: { error: "invalid_auth" },
    });
    const stripeWith = (key: string) =>
      new Stripe(key, { ...stripe.clientOptions, maxNetworkRetries: 0, telemetry: false });
    const customer = await stripeWith(EMULATOR_DEFAULTS.stripeApiKey).customers.create({});
    expect(stripe.customers.map((c) => c.id)).toContain(customer.id);
    await expect(stripeWith("sk_test_other").customers.list()).rejects.toMatchObject({
      statusCode: 401,
    });
    const batch = (writeKey: string) =>
      fetch(`${segment.url}/v1/batch`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ writeKey, batch: [{ type: "track", userId: "u1", event: "x" }] }),
      });
    expect((await batch(EMULATOR_DEFAULTS.segmentWriteKey)).status).toBe(200);
    expect((await batch("other")).status).toBe(401);
    emulators.reset();
  });

  it("tests a user's own events configuration: each SDK's call reaches its emulator", async () => {
    emulators.reset();
    // What an app writes today, as one plain next-auth `events` object, composed as it would be.
    const errors: RecipeError[] = [];
    const events = composeEvents(
      [
        {
          async createUser({ user }) {
            if (!user.email) return;
            await sdk.mailer.sendMail({
              from: "hello@acme.test",
              to: user.email,
              subject: "Welcome",
              text: `Hi ${user.name}`,
            });
            await sdk.slack.chat.postMessage({ channel: "#signups", text: `${user.id} signed up` });
            await sdk.stripe.customers.create({
              email: user.email,
              metadata: { userId: user.id ?? "" },
            });
            await new Promise<void>((resolve, reject) =>
              sdk.analytics.track({ userId: user.id ?? "", event: "Signed Up" }, (error) =>
                error ? reject(error) : resolve(),
              ),
            );
          },
        },
      ],
      { timeoutMs: 5000, onError: (error) => errors.push(error) },
    );
    await events.createUser!(defaultMessage("createUser", users.bob));
    expect(errors).toEqual([]);

    const { smtp, slack, stripe, segment } = emulators;
    expect(smtp.messages).toMatchObject([
      { envelope: { to: ["bob@example.test"] }, subject: "Welcome", text: "Hi Bob Builder\n" },
    ]);
    expect(slack.channel("#signups").map((message) => message.text)).toEqual([
      "user_bob signed up",
    ]);
    expect(stripe.customers).toMatchObject([
      { email: "bob@example.test", metadata: { userId: "user_bob" } },
    ]);
    expect(segment.messages).toMatchObject([
      { type: "track", event: "Signed Up", userId: "user_bob" },
    ]);

    // The inbox is the same, as JSON, with the credentials the SDKs sent masked.
    const inbox = JSON.parse(JSON.stringify(emulators.inbox()));
    expect(inbox.smtp.messages).toHaveLength(1);
    expect(inbox.smtp.url).toBe(smtp.url);
    expect(inbox.slack.messages[0].text).toBe("user_bob signed up");
    expect(inbox.stripe.customers[0].email).toBe("bob@example.test");
    expect(inbox.segment.messages[0].event).toBe("Signed Up");
    expect(inbox.segment.batches).toHaveLength(1);
    expect(inbox.stripe.requests[0].headers.authorization).toBe("[redacted]");
    const text = JSON.stringify(inbox);
    for (const secret of [slack.token, stripe.apiKey]) expect(text).not.toContain(secret);
    for (const marker of TOKEN_MARKERS) expect(text).not.toContain(marker);
  });

  it("resets all four at once", async () => {
    await sdk.slack.chat.postMessage({ channel: "#signups", text: "x" });
    emulators.stripe.fail({ times: 5 });
    emulators.reset();
    const { smtp, slack, stripe, segment } = emulators;
    for (const emulator of [smtp, slack, stripe, segment]) expect(emulator.requests).toEqual([]);
    expect(slack.messages).toEqual([]);
    await sdk.stripe.customers.create({ email: "after@example.test" });
    expect(stripe.customers).toHaveLength(1);
  });

  it("listens on the ports it is given, and closes the others when one cannot start", async () => {
    const blocker = await startHttpEmulator({}, () => ({ status: 204 }));
    const free = await Promise.all(
      [0, 1, 2].map(() => startHttpEmulator({}, () => ({ status: 204 }))),
    );
    const [smtpPort, stripePort, segmentPort] = free.map((emulator) => emulator.port);
    await Promise.all(free.map((emulator) => emulator.close()));
    try {
      await expect(
        startEmulators({
          smtp: { port: smtpPort },
          slack: { port: blocker.port },
          stripe: { port: stripePort },
          segment: { port: segmentPort },
        }),
      ).rejects.toThrow(/EADDRINUSE/);
      // The three that started were closed: their ports can be taken again.
      const again = await startEmulators({
        smtp: { port: smtpPort },
        stripe: { port: stripePort },
        segment: { port: segmentPort },
      });
      expect([again.smtp.port, again.stripe.port, again.segment.port]).toEqual([
        smtpPort,
        stripePort,
        segmentPort,
      ]);
      const started = performance.now();
      await again.close();
      expect(performance.now() - started).toBeLessThan(1000);
      const refused = await fetch(`${again.stripe.url}/v1/customers`).catch(
        (error: Error) => (error.cause as { code?: string }).code,
      );
      expect(refused).toBe("ECONNREFUSED");
    } finally {
      await blocker.close();
    }
  });
});
