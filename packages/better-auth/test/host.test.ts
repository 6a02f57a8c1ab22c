// The conformance host: recipes run inside a real better-auth instance, checked at the emulators with
// the expectations their own conformance suites use under next-auth.
import { EVENT_NAMES, type EventName, type Recipe } from "@auth-recipes/core";
import { segmentTracking } from "@auth-recipes/segment";
import { stripeCustomer } from "@auth-recipes/stripe";
import {
  type DispatchedEvent,
  defaultMessage,
  type dispatchEvent,
  type Emulators,
  hostileUsers,
  events as nextAuth,
  startEmulators,
  TOKEN_MARKERS,
  users,
} from "@auth-recipes/testing";
import { welcomeEmail } from "@auth-recipes/welcome-email";
import { Analytics } from "@segment/analytics-node";
import Stripe from "stripe";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { betterAuthHost } from "../src/testing.ts";

// The host option of testRecipe takes dispatchEvent's signature and result: this must type-check.
const host: { name: string; dispatch: typeof dispatchEvent } = betterAuthHost();
const _result: Promise<DispatchedEvent> = host.dispatch(
  [],
  "createUser",
  defaultMessage("createUser"),
);
void _result.catch(() => {});

let emulators: Emulators;
beforeAll(async () => {
  emulators = await startEmulators();
});
afterAll(() => emulators.close());
beforeEach(() => emulators.reset());

const segment = () =>
  segmentTracking({
    analytics: new Analytics({
      writeKey: emulators.segment.writeKey,
      ...emulators.segment.clientOptions,
      maxRetries: 0,
      httpRequestTimeout: 2000,
    }),
  });
const stripe = () =>
  stripeCustomer({
    stripe: new Stripe(emulators.stripe.apiKey, {
      ...emulators.stripe.clientOptions,
      telemetry: false,
      maxNetworkRetries: 0,
    }),
  });
const welcome = () =>
  welcomeEmail({
    transport: emulators.smtp.smtpUrl,
    from: "Acme <hello@acme.test>",
    appName: "Acme",
  });

const handled = (recipe: Recipe): EventName[] =>
  EVENT_NAMES.filter(
    (event) => typeof (recipe.events as Record<string, unknown>)[event] === "function",
  );

/** Each default event through the host, as checkDelivery dispatches it: fulfilled, then `delivered`. */
async function checkDelivery(recipe: Recipe, delivered: (event: EventName) => void) {
  for (const event of handled(recipe)) {
    emulators.reset();
    const { report, errors } = await host.dispatch(
      [{ ...recipe, timeoutMs: 5_000, retry: false }],
      event,
      defaultMessage(event, users.alice) as never,
    );
    expect({ event, status: report.results[0]?.status, errors }).toEqual({
      event,
      status: "fulfilled",
      errors: [],
    });
    await expect.poll(() => delivered(event), { timeout: 1_000 }).toBeUndefined();
  }
}

describe("betterAuthHost(): recipes' conformance checks inside better-auth", () => {
  it("segment: every default event delivered as under next-auth (Signed In with github, oauth, isNewUser)", async () => {
    await checkDelivery(segment(), (event) => {
      const mine = emulators.segment.messages.filter((m) => m.userId === users.alice.id);
      const traits = { email: users.alice.email, name: users.alice.name };
      const expected = {
        createUser: [
          { type: "identify", traits },
          { type: "track", event: "Signed Up" },
        ],
        updateUser: [{ type: "identify", traits }],
        signIn: [
          {
            type: "track",
            event: "Signed In",
            properties: { provider: "github", type: "oauth", isNewUser: true },
          },
        ],
        signOut: [{ type: "track", event: "Signed Out" }],
        linkAccount: [
          { type: "track", event: "Account Linked", properties: { provider: "github" } },
        ],
      }[event as Exclude<EventName, "session">];
      expect(mine).toMatchObject(expected);
    });
    const received = JSON.stringify(emulators.segment.requests);
    for (const marker of TOKEN_MARKERS) expect(received).not.toContain(marker);
  });

  it("stripe: createUser makes the customer, updateUser syncs it", async () => {
    await checkDelivery(stripe(), (event) => {
      if (event === "createUser") {
        expect(emulators.stripe.customers).toMatchObject([
          {
            email: users.alice.email,
            name: users.alice.name,
            metadata: { userId: users.alice.id },
          },
        ]);
      }
    });
  });

  it("welcome-email: one email to the new user", async () => {
    await checkDelivery(welcome(), () => {
      expect(emulators.smtp.messages.map((m) => m.envelope.to)).toEqual([[users.alice.email]]);
    });
  });

  it("an OAuth signIn of an existing user is not new; a sign-in outside a request names no provider", async () => {
    const recipe = segment();
    await host.dispatch([recipe], "signIn", defaultMessage("signIn", users.bob) as never);
    emulators.reset();
    const { report } = await host.dispatch([recipe], "signIn", {
      ...(defaultMessage("signIn", users.bob) as object),
      isNewUser: false,
    } as never);
    expect(report.results[0]?.status).toBe("fulfilled");
    await expect
      .poll(() => emulators.segment.messages.map((m) => m.properties))
      .toEqual([{ provider: "github", type: "oauth", isNewUser: false }]);

    // next-auth's credentials sign-in has no adapter user; better-auth's session made outside a
    // request says neither the provider nor whether the user is new, so Segment gets no properties.
    emulators.reset();
    await host.dispatch([recipe], "signIn", nextAuth.signInCredentials(users.bob) as never);
    await expect
      .poll(() => emulators.segment.messages.map((m) => [m.event, m.properties]))
      .toEqual([["Signed In", {}]]);
  });

  it("the upstream failing: each event rejected once to onError, within the timeout", async () => {
    emulators.segment.fail({ times: Number.POSITIVE_INFINITY, status: 500 });
    const recipe = { ...segment(), timeoutMs: 1_000, retry: false as const };
    const outcomes = await Promise.all(
      handled(recipe).map((event) =>
        host.dispatch([recipe], event, defaultMessage(event) as never),
      ),
    );
    for (const { report, errors, durationMs } of outcomes) {
      expect(report.results[0]?.status).toBe("rejected");
      expect(errors).toHaveLength(1);
      expect(errors[0]?.recipe).toBe("segment");
      expect(durationMs).toBeLessThan(2_500);
    }
  });

  it("hostile users through every default event: no crash, and the email recipe sends to one address only", async () => {
    const recipes = [welcome(), segment()];
    for (const user of Object.values(hostileUsers)) {
      for (const event of [
        "createUser",
        "updateUser",
        "signIn",
        "signOut",
        "linkAccount",
      ] as const) {
        const { report } = await host.dispatch(
          recipes,
          event,
          defaultMessage(event, user) as never,
        );
        for (const result of report.results) {
          // A skip is fine; a rejection must be the service's, and these services are up.
          expect({
            user: user.id,
            event,
            recipe: result.recipe,
            status: result.status,
          }).not.toMatchObject({
            status: "rejected",
          });
        }
      }
    }
    // A name may say "Bcc: attacker" as text; no message may be sent to the attacker or carry a Bcc.
    const envelopes = emulators.smtp.messages.map((mail) => mail.envelope.to);
    expect(envelopes.length).toBeGreaterThan(5);
    for (const to of envelopes) expect(to).toHaveLength(1);
    expect(envelopes.flat()).not.toContain("attacker@evil.example.test");
    for (const mail of emulators.smtp.messages) expect(mail.headers.bcc).toBeUndefined();
  });
});
