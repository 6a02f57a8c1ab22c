import { RecipeError } from "@auth-recipes/core";
import {
  events as fixtures,
  type PostHogEmulator,
  startPostHogApi,
  TOKEN_MARKERS,
  users,
} from "@auth-recipes/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { PostHogDeliveryError, posthogTracking } from "../src/index.ts";
import { clientFor, eventsOf, setup } from "./helpers.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let posthog: PostHogEmulator;
beforeAll(async () => {
  posthog = await startPostHogApi({ apiKey: "phc_recipe_test_key" });
});
afterAll(() => posthog.close());
afterEach(async () => {
  await posthog.up();
  posthog.reset();
});

const alice = users.alice;

describe("posthogTracking: what reaches PostHog", () => {
  it("createUser sets email and name ($identify) and captures user signed up, each with a v5 uuid", async () => {
    const { dispatch, errors } = setup(posthog);
    const started = performance.now();
    const report = await dispatch("createUser", fixtures.createUser(alice));
    expect(performance.now() - started).toBeLessThan(1500);
    expect(report.results[0]).toMatchObject({ recipe: "posthog", status: "fulfilled" });
    expect(errors).toEqual([]);
    // One request per event: captureImmediate.
    expect(posthog.batches.map((batch) => batch.events.length)).toEqual([1, 1]);
    const byName = Object.fromEntries(posthog.events.map((event) => [event.event, event]));
    expect(byName.$identify).toMatchObject({
      distinct_id: alice.id,
      properties: { $set: { email: alice.email, name: alice.name } },
    });
    expect(byName["user signed up"]).toMatchObject({ distinct_id: alice.id });
    const uuids = posthog.events.map((event) => event.uuid);
    for (const uuid of uuids) expect(uuid).toMatch(UUID);
    expect(new Set(uuids).size).toBe(2);
  });

  it("updateUser sets the person properties with a $set event", async () => {
    const { dispatch } = setup(posthog);
    await dispatch("updateUser", fixtures.updateUser(alice));
    expect(posthog.events).toMatchObject([
      {
        event: "$set",
        distinct_id: alice.id,
        properties: { $set: { email: alice.email, name: alice.name } },
      },
    ]);
  });

  it("signIn, signOut and linkAccount capture their events with named properties only", async () => {
    const { dispatch, errors } = setup(posthog);
    await dispatch("signIn", fixtures.signInOAuth(alice));
    await dispatch("signIn", fixtures.signInCredentials(alice));
    await dispatch("signOut", fixtures.signOutWithToken(alice));
    await dispatch("signOut", fixtures.signOutWithSession(alice));
    await dispatch("linkAccount", fixtures.linkAccount(alice));
    expect(errors).toEqual([]);
    const seen = eventsOf(posthog, alice.id).map(({ event, properties }) => ({
      event,
      provider: properties?.provider,
      type: properties?.type,
      isNewUser: properties?.isNewUser,
    }));
    expect(seen).toEqual([
      { event: "user signed in", provider: "github", type: "oauth", isNewUser: true },
      {
        event: "user signed in",
        provider: "credentials",
        type: "credentials",
        isNewUser: undefined,
      },
      { event: "user signed out", provider: undefined, type: undefined, isNewUser: undefined },
      { event: "user signed out", provider: undefined, type: undefined, isNewUser: undefined },
      { event: "account linked", provider: "github", type: undefined, isNewUser: undefined },
    ]);
  });

  it("takes event names by next-auth's names and person properties; an event left out of `on` sends nothing", async () => {
    const { events, dispatch } = setup(posthog, {
      on: ["createUser", "updateUser", "signOut", "linkAccount"],
      names: { createUser: "Signed Up" },
      traits: (user) => ({ plan: "free", email: user.email }),
    });
    expect(events.signIn).toBeUndefined();
    await dispatch("createUser", fixtures.createUser(alice));
    expect(posthog.events.map((event) => event.event).sort()).toEqual(["$identify", "Signed Up"]);
    expect(posthog.events.find((event) => event.event === "$identify")?.properties?.$set).toEqual({
      plan: "free",
      email: alice.email,
    });
  });

  it("skips an event without a user id, sending nothing", async () => {
    const { dispatch, errors } = setup(posthog);
    const report = await dispatch("signOut", { token: null } as never);
    expect(report.results[0]?.status).toBe("skipped");
    expect(errors).toEqual([]);
    expect(posthog.requests).toEqual([]);
  });

  it("skips every event on a disabled or opted-out client, which would drop them silently", async () => {
    const disabled = setup(posthog, { posthog: clientFor(posthog, { disabled: true }) });
    const report = await disabled.dispatch("createUser", fixtures.createUser(alice));
    expect(report.results[0]?.status).toBe("skipped");
    const client = clientFor(posthog);
    await client.optOut();
    const optedOut = setup(posthog, { posthog: client });
    expect(
      (await optedOut.dispatch("signIn", fixtures.signInOAuth(alice))).results[0]?.status,
    ).toBe("skipped");
    expect(posthog.requests).toEqual([]);
  });

  it("sends no token, no session and no key but the body's api_key, in any field of any request", async () => {
    const { dispatch } = setup(posthog);
    await dispatch("createUser", fixtures.createUser(alice));
    await dispatch("signIn", fixtures.signInOAuth(alice));
    await dispatch("signIn", fixtures.signInEmail(alice));
    await dispatch("signOut", fixtures.signOutWithSession(alice));
    await dispatch("signOut", fixtures.signOutWithToken(alice));
    await dispatch("linkAccount", fixtures.linkAccount(alice));
    expect(posthog.requests.length).toBeGreaterThan(0);
    for (const request of posthog.requests) {
      const text = JSON.stringify({ ...request, body: request.body });
      for (const marker of TOKEN_MARKERS) expect(text).not.toContain(marker);
      // The project key travels in the body's api_key, once, and nowhere else.
      const body = JSON.parse(request.body) as Record<string, unknown>;
      const { api_key, ...rest } = body;
      expect(api_key).toBe(posthog.apiKey);
      expect(JSON.stringify(rest)).not.toContain(posthog.apiKey);
      expect(JSON.stringify(request.headers)).not.toContain(posthog.apiKey);
      expect(request.path).not.toContain(posthog.apiKey);
    }
  });

  it("refuses bad options with a TypeError naming the option", () => {
    const client = clientFor(posthog);
    expect(() => posthogTracking(undefined as never)).toThrow(
      "[auth-recipes/posthog] options must be an object: { posthog }",
    );
    expect(() => posthogTracking({} as never)).toThrow(
      '[auth-recipes/posthog] option "posthog" is required',
    );
    expect(() => posthogTracking({ posthog: {} as never })).toThrow(TypeError);
    expect(() => posthogTracking({ posthog: client, traits: "x" as never })).toThrow(/"traits"/);
    expect(() => posthogTracking({ posthog: client, names: { signUp: "x" } as never })).toThrow(
      '[auth-recipes/posthog] option "names" has an unknown key "signUp"; the keys are createUser, signIn, signOut, linkAccount',
    );
    expect(() => posthogTracking({ posthog: client, names: { signIn: " " } })).toThrow(
      /"names.signIn"/,
    );
    expect(() => posthogTracking({ posthog: client, on: ["session"] as never })).toThrow(
      /option "on" has an unknown event "session"/,
    );
    // An old name fails at configuration instead of being ignored.
    expect(() => posthogTracking({ posthog: client, events: {} } as never)).toThrow(
      /option "events" is not an option of posthogTracking/,
    );
    expect(() => posthogTracking({ posthog: client, awaitDelivery: 1 as never })).toThrow(
      /"awaitDelivery"/,
    );
  });

  it("refuses `client`: the client is `posthog`, as PostHog's quick start names it", () => {
    const client = clientFor(posthog);
    expect(() => posthogTracking({ client } as never)).toThrow(
      new TypeError(
        '[auth-recipes/posthog] option "client" is not an option of posthogTracking; the options are posthog, on, traits, names, awaitDelivery, timeoutMs, retry',
      ),
    );
  });
});

describe("posthogTracking: failures and retries", () => {
  it("reports a 5xx as a retryable PostHogDeliveryError with no key in it, and a 401 as not retryable", async () => {
    const { dispatch, errors } = setup(posthog);
    posthog.fail({ status: 503, times: 2 });
    await dispatch("createUser", fixtures.createUser(alice));
    expect(errors).toHaveLength(1);
    const cause = errors[0]?.cause;
    expect(errors[0]).toBeInstanceOf(RecipeError);
    expect(cause).toBeInstanceOf(PostHogDeliveryError);
    expect(cause).toMatchObject({ status: 503, retryable: true });
    expect((cause as Error).message).toMatch(/^\[auth-recipes\/posthog\] PostHog answered 503/);

    const keyed = new (await import("posthog-node")).PostHog("phc_wrong_secret_key", {
      ...posthog.clientOptions,
      fetchRetryCount: 0,
    });
    const bad = setup(posthog, { posthog: keyed });
    await bad.dispatch("signIn", fixtures.signInOAuth(alice));
    await keyed.shutdown(100);
    expect(bad.errors[0]?.cause).toMatchObject({ status: 401, retryable: false });
    expect(JSON.stringify(bad.errors[0])).not.toContain("phc_wrong_secret_key");
    expect(String(bad.errors[0]?.message)).not.toContain("phc_wrong_secret_key");
  });

  it("tells apart concurrent calls: only the failing one fails", async () => {
    const { events, errors } = setup(posthog);
    posthog.fail({ status: 500, times: 1 });
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        events.signIn!(fixtures.signInOAuth({ ...alice, id: `user_${i}` })),
      ),
    );
    expect(errors).toHaveLength(1);
    expect(posthog.events).toHaveLength(5);
  });

  it("a retry after the answer was lost re-sends the same uuids: PostHog counts each event once", async () => {
    const { dispatch, errors } = setup(posthog, {
      retry: { retries: 2, minDelayMs: 0, maxDelayMs: 0, jitter: false },
    });
    posthog.dropAfterStoring(1);
    const report = await dispatch("signIn", fixtures.signInOAuth(alice));
    expect(errors).toEqual([]);
    expect(report.results[0]).toMatchObject({ status: "fulfilled", attempts: 2 });
    expect(posthog.events).toHaveLength(2);
    expect(posthog.uniqueEvents()).toHaveLength(1);
    expect(posthog.duplicates).toBe(1);
  });

  it("a retry of an attempt that timed out waits for its request instead of sending a copy", async () => {
    const { dispatch, errors } = setup(
      posthog,
      { retry: { retries: 1, minDelayMs: 0, maxDelayMs: 0, jitter: false }, timeoutMs: 300 },
      {},
      { requestTimeout: 5000 },
    );
    posthog.delay(500);
    const report = await dispatch("signIn", fixtures.signInOAuth(alice));
    expect(errors).toEqual([]);
    expect(report.results[0]).toMatchObject({ status: "fulfilled", attempts: 2 });
    expect(posthog.requests).toHaveLength(1);
    expect(posthog.events).toHaveLength(1);
  });

  it("with awaitDelivery off, hands the events to the client's queue with the same uuids", async () => {
    const { dispatch, client } = setup(posthog, { awaitDelivery: false });
    const report = await dispatch("createUser", fixtures.createUser(alice));
    expect(report.results[0]?.status).toBe("fulfilled");
    expect(posthog.events).toEqual([]);
    await client.flush();
    expect(posthog.events.map((event) => event.event).sort()).toEqual([
      "$identify",
      "user signed up",
    ]);
    for (const event of posthog.events) expect(event.uuid).toMatch(UUID);
  });
});
