import { isRetryable, RecipeError } from "@auth-recipes/core";
import {
  dispatchEvent,
  events as fixtures,
  type SegmentEmulator,
  startSegmentApi,
  TOKEN_MARKERS,
  users,
} from "@auth-recipes/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SegmentDeliveryError, segmentTracking } from "../src/index.ts";
import { analyticsFor, messagesOf, setup } from "./helpers.ts";

let segment: SegmentEmulator;
beforeAll(async () => {
  segment = await startSegmentApi({ writeKey: "wk_segment_recipe_test" });
});
afterAll(() => segment.close());
afterEach(async () => {
  await segment.up();
  segment.reset();
});

const alice = users.alice;

describe("segmentTracking: what reaches Segment", () => {
  it("createUser identifies the user with email and name and tracks Signed Up, in one request", async () => {
    const { dispatch, errors } = setup(segment);
    const started = performance.now();
    const report = await dispatch("createUser", fixtures.createUser(alice));
    // The SDK alone would hold the calls for its 10 s flushInterval.
    expect(performance.now() - started).toBeLessThan(1500);
    expect(report.results[0]).toMatchObject({ recipe: "segment", status: "fulfilled" });
    expect(errors).toEqual([]);
    expect(segment.requests).toHaveLength(1);
    expect(segment.batches).toHaveLength(1);
    expect(segment.batches[0]?.messages).toMatchObject([
      {
        type: "identify",
        userId: alice.id,
        traits: { email: alice.email, name: alice.name },
        messageId: `segment-${report.dispatchId}-identify`,
      },
      {
        type: "track",
        userId: alice.id,
        event: "Signed Up",
        properties: {},
        messageId: `segment-${report.dispatchId}-track`,
      },
    ]);
    expect(Object.keys(segment.messages[0]?.traits ?? {}).sort()).toEqual(["email", "name"]);
  });

  it("updateUser identifies only", async () => {
    const { dispatch } = setup(segment);
    await dispatch("updateUser", fixtures.updateUser(alice));
    expect(segment.messages).toMatchObject([
      { type: "identify", userId: alice.id, traits: { email: alice.email, name: alice.name } },
    ]);
    expect(segment.messages).toHaveLength(1);
  });

  it("leaves out traits the user does not have", async () => {
    const { dispatch } = setup(segment);
    await dispatch("createUser", fixtures.createUser(users.noEmail));
    await dispatch("updateUser", fixtures.updateUser(users.noName));
    expect(segment.messages[0]?.traits).toEqual({ name: users.noEmail.name });
    expect(segment.messages[2]?.traits).toEqual({ email: users.noName.email });
  });

  it("signIn tracks Signed In with provider, type and isNewUser for OAuth, email and credentials", async () => {
    const { dispatch, errors } = setup(segment);
    await dispatch("signIn", fixtures.signInOAuth(alice));
    await dispatch("signIn", fixtures.signInEmail(alice));
    await dispatch("signIn", fixtures.signInCredentials(alice));
    expect(errors).toEqual([]);
    expect(
      segment.messages.map(({ type, userId, event, properties }) => ({
        type,
        userId,
        event,
        properties,
      })),
    ).toEqual([
      {
        type: "track",
        userId: alice.id,
        event: "Signed In",
        properties: { provider: "github", type: "oauth", isNewUser: true },
      },
      {
        type: "track",
        userId: alice.id,
        event: "Signed In",
        properties: { provider: "email", type: "email", isNewUser: false },
      },
      // Credentials sign-ins have no isNewUser: the key is left out, not sent as null.
      {
        type: "track",
        userId: alice.id,
        event: "Signed In",
        properties: { provider: "credentials", type: "credentials" },
      },
    ]);
  });

  it("linkAccount tracks Account Linked with the provider only", async () => {
    const { dispatch } = setup(segment);
    await dispatch("linkAccount", fixtures.linkAccount(alice));
    expect(segment.messages).toHaveLength(1);
    expect(segment.messages[0]).toMatchObject({
      type: "track",
      userId: alice.id,
      event: "Account Linked",
      properties: { provider: "github" },
    });
    expect(segment.messages[0]?.properties).toEqual({ provider: "github" });
  });

  it("never sends an OAuth or session token to Segment, from any event", async () => {
    const { dispatch, errors } = setup(segment);
    const sent = {
      createUser: fixtures.createUser(alice),
      signIn: fixtures.signInOAuth(alice),
      linkAccount: fixtures.linkAccount(alice),
      signOutSession: fixtures.signOutWithSession(alice),
      signOutToken: fixtures.signOutWithToken(alice),
    };
    await dispatch("createUser", sent.createUser);
    await dispatch("signIn", sent.signIn);
    await dispatch("linkAccount", sent.linkAccount);
    await dispatch("signOut", sent.signOutSession);
    await dispatch("signOut", sent.signOutToken);
    expect(errors).toEqual([]);
    expect(segment.messages).toHaveLength(6);
    // The messages did carry tokens: the assertion below can fail.
    expect(JSON.stringify(sent)).toContain(TOKEN_MARKERS[0]);
    const bodies = segment.requests.map((request) => request.body).join("\n");
    for (const marker of TOKEN_MARKERS) expect(bodies).not.toContain(marker);
    expect(bodies).not.toContain(sent.signIn.account.access_token);
    expect(bodies).not.toContain("providerAccountId");
  });
});

describe("segmentTracking: signOut", () => {
  it("with a JWT: tracks Signed Out for the token's sub", async () => {
    const { dispatch } = setup(segment);
    const report = await dispatch("signOut", fixtures.signOutWithToken(users.bob));
    expect(report.results[0]?.status).toBe("fulfilled");
    expect(segment.messages).toMatchObject([
      { type: "track", userId: users.bob.id, event: "Signed Out", properties: {} },
    ]);
  });

  it("with a database session: tracks Signed Out for the session's user id", async () => {
    const { dispatch } = setup(segment);
    await dispatch("signOut", fixtures.signOutWithSession(users.bob));
    expect(segment.messages).toMatchObject([
      { type: "track", userId: users.bob.id, event: "Signed Out" },
    ]);
  });

  it("with neither: skips, sends nothing and reports no error", async () => {
    const { dispatch, errors } = setup(segment);
    for (const message of [{ session: null }, { token: null }, { token: { name: "x" } }, {}]) {
      const report = await dispatch("signOut", message as never);
      expect(report.results[0]).toMatchObject({
        status: "skipped",
        reason: expect.stringContaining("no user id"),
      });
    }
    expect(errors).toEqual([]);
    expect(segment.requests).toEqual([]);
  });
});

describe("segmentTracking: options", () => {
  it("sends the traits the traits option returns", async () => {
    const { dispatch } = setup(segment, {
      traits: (user) => ({ plan: "free", emailDomain: user.email?.split("@")[1] }),
    });
    await dispatch("createUser", fixtures.createUser(alice));
    expect(segment.messages[0]?.traits).toEqual({ plan: "free", emailDomain: "example.test" });
  });

  it("renames events by next-auth's names, `on` leaves one out, and createUser: false only identifies", async () => {
    const chosen = {
      on: ["createUser", "updateUser", "signOut", "linkAccount"],
      names: { createUser: false, signOut: "Logged Out", linkAccount: "Connected" },
    } as const;
    const recipe = segmentTracking({ analytics: analyticsFor(segment), ...chosen });
    expect(Object.keys(recipe.events).sort()).toEqual([
      "createUser",
      "linkAccount",
      "signOut",
      "updateUser",
    ]);
    const { dispatch, events } = setup(segment, chosen);
    expect(events.signIn).toBeUndefined();
    await dispatch("createUser", fixtures.createUser(alice));
    await dispatch("signOut", fixtures.signOutWithToken(alice));
    await dispatch("linkAccount", fixtures.linkAccount(alice));
    expect(segment.messages.map((message) => message.event ?? message.type)).toEqual([
      "identify",
      "Logged Out",
      "Connected",
    ]);
  });

  it("handles every event by default, under the name segment", () => {
    const recipe = segmentTracking({ analytics: analyticsFor(segment) });
    expect(recipe.name).toBe("segment");
    expect(Object.keys(recipe.events).sort()).toEqual([
      "createUser",
      "linkAccount",
      "signIn",
      "signOut",
      "updateUser",
    ]);
  });

  it("throws a TypeError naming the option when it is missing or wrong", () => {
    const analytics = analyticsFor(segment);
    const cases: [unknown, RegExp][] = [
      [undefined, /options must be an object: \{ analytics \}/],
      [{}, /option "analytics" is required/],
      [{ analytics: { track() {} } }, /option "analytics" must be an Analytics client/],
      [{ analytics, traits: "email" }, /option "traits" must be a function/],
      [{ analytics, awaitDelivery: "yes" }, /option "awaitDelivery" must be a boolean/],
      [{ analytics, names: null }, /option "names" must be an object/],
      [
        { analytics, names: { signUp: "x" } },
        /option "names" has an unknown key "signUp"; the keys are createUser, signIn, signOut, linkAccount/,
      ],
      [{ analytics, names: { signIn: "" } }, /option "names.signIn" must be a non-empty string/],
      [{ analytics, names: { signIn: false } }, /leave it out of "on"/],
      [{ analytics, on: ["signUp"] }, /option "on" has an unknown event "signUp"/],
      [{ analytics, on: [] }, /option "on" must list at least one of createUser/],
      // An old name fails at configuration instead of being ignored.
      [{ analytics, events: {} }, /option "events" is not an option of segmentTracking/],
    ];
    for (const [options, message] of cases) {
      expect(() => segmentTracking(options as never)).toThrow(TypeError);
      expect(() => segmentTracking(options as never)).toThrow(message);
      expect(() => segmentTracking(options as never)).toThrow(/^\[auth-recipes\/segment\] /);
    }
  });

  it("refuses `client`: the client is `analytics`, as Segment's quick start names it", () => {
    const analytics = analyticsFor(segment);
    expect(() => segmentTracking({ client: analytics } as never)).toThrow(
      new TypeError(
        '[auth-recipes/segment] option "client" is not an option of segmentTracking; the options are analytics, on, traits, names, awaitDelivery, timeoutMs, retry',
      ),
    );
  });

  it("awaitDelivery: false returns at once and leaves the calls to the client's own batching", async () => {
    const { dispatch, analytics, errors } = setup(
      segment,
      { awaitDelivery: false },
      {},
      { flushInterval: 200 },
    );
    const started = performance.now();
    const report = await dispatch("createUser", fixtures.createUser(alice));
    expect(performance.now() - started).toBeLessThan(100);
    expect(report.results[0]?.status).toBe("fulfilled");
    expect(segment.requests).toEqual([]);
    // The client's flushInterval sends them; the messages still carry the dispatch's ids.
    const sent = new Promise((resolve) => analytics.once("track", resolve));
    await sent;
    expect(segment.messages.map((message) => message.messageId)).toEqual([
      `segment-${report.dispatchId}-identify`,
      `segment-${report.dispatchId}-track`,
    ]);
    // Without waiting, a failure cannot reach onError: only the client's error event sees it.
    segment.fail({ times: 1, status: 500 });
    const failed = new Promise((resolve) => analytics.once("error", resolve));
    await dispatch("signIn", fixtures.signInOAuth(alice));
    expect(await failed).toMatchObject({ code: "delivery_failure" });
    expect(errors).toEqual([]);
  });
});

describe("segmentTracking: messages Segment would refuse", () => {
  it("skips an event whose user has no id, sending nothing", async () => {
    const { dispatch, errors } = setup(segment);
    const noId = { ...alice, id: "" };
    const reports = [
      await dispatch("createUser", { user: noId }),
      await dispatch("updateUser", { user: { name: "x" } as never }),
      await dispatch("signIn", { ...fixtures.signInOAuth(alice), user: noId }),
      await dispatch("linkAccount", {
        ...fixtures.linkAccount(alice),
        user: noId,
        account: { provider: "github", type: "oauth", providerAccountId: "1" },
      }),
    ];
    for (const report of reports) {
      expect(report.results[0]).toMatchObject({ status: "skipped", reason: expect.any(String) });
    }
    expect(errors).toEqual([]);
    expect(segment.requests).toEqual([]);
  });

  it("leaves out an email address with invisible or bidi characters, as the other recipes refuse it", async () => {
    const { dispatch } = setup(segment);
    for (const [i, email] of ["ali\u200Bce@example.test", "alice@exam\u202Eple.test"].entries()) {
      const user = { ...alice, id: `user_invisible_${i}`, email };
      const report = await dispatch("createUser", fixtures.createUser(user));
      expect(report.results[0]?.status).toBe("fulfilled");
      const [identify] = messagesOf(segment, user.id);
      expect(identify?.traits).toEqual({ name: alice.name });
    }
  });

  it("a traits option that returns no object fails the handler without retry", async () => {
    const { dispatch, errors } = setup(segment, { traits: () => null as never }, { retry: true });
    const report = await dispatch("createUser", fixtures.createUser(alice));
    expect(report.results[0]).toMatchObject({ status: "rejected", attempts: 1 });
    expect(errors[0]?.message).toContain('option "traits" must return an object');
    expect(segment.requests).toEqual([]);
  });
});

describe("segmentTracking: delivery failures are handler failures", () => {
  it("a 500 reaches onError as a RecipeError with a retryable SegmentDeliveryError", async () => {
    const { dispatch, errors } = setup(segment);
    segment.fail({ times: 1, status: 500 });
    const report = await dispatch("createUser", fixtures.createUser(alice));
    expect(report.results[0]?.status).toBe("rejected");
    expect(errors).toHaveLength(1);
    const [error] = errors;
    expect(error).toBeInstanceOf(RecipeError);
    expect(error).toMatchObject({ recipe: "segment", event: "createUser", attempts: 1 });
    expect(error?.cause).toBeInstanceOf(SegmentDeliveryError);
    expect(error?.cause).toMatchObject({ status: 500, retryable: true });
    expect(isRetryable(error?.cause)).toBe(true);
    expect(error?.message).toContain("[500]");
    const causeMessage = (error?.cause as Error | undefined)?.message;
    for (const secret of [segment.writeKey, alice.email!]) {
      expect(error?.message).not.toContain(secret);
      expect(causeMessage).not.toContain(secret);
    }
    expect(segment.messages).toEqual([]);
  });

  it("a wrong write key (401) is not retryable, so core does not retry it", async () => {
    const analytics = analyticsFor(segment, { writeKey: "wk_wrong" });
    const { dispatch, errors } = setup(segment, { analytics }, { retry: { minDelayMs: 0 } });
    const report = await dispatch("signIn", fixtures.signInOAuth(alice));
    expect(report.results[0]).toMatchObject({ status: "rejected", attempts: 1 });
    expect(errors[0]?.cause).toMatchObject({ status: 401, retryable: false });
    expect(errors[0]?.message).not.toContain("wk_wrong");
    expect(segment.requests).toHaveLength(1);
  });

  it("connection refused is retryable, and a retry after the service is back delivers", async () => {
    const { dispatch, errors } = setup(
      segment,
      {},
      { retry: { retries: 1, minDelayMs: 0, jitter: false } },
    );
    await segment.down();
    const first = setup(segment);
    const refused = await first.dispatch("signIn", fixtures.signInOAuth(alice));
    expect(refused.results[0]?.status).toBe("rejected");
    expect(first.errors[0]?.cause).toMatchObject({ retryable: true });
    await segment.up();
    const report = await dispatch("signIn", fixtures.signInOAuth(alice));
    expect(report.results[0]?.status).toBe("fulfilled");
    expect(errors).toEqual([]);
  });

  it("a client the app closed fails the handler at once instead of hanging", async () => {
    const { dispatch, analytics, errors } = setup(segment);
    await analytics.closeAndFlush();
    const started = performance.now();
    const report = await dispatch("signIn", fixtures.signInOAuth(alice));
    expect(performance.now() - started).toBeLessThan(200);
    expect(report.results[0]?.status).toBe("rejected");
    expect(errors[0]?.cause).toMatchObject({ retryable: false });
    expect(errors[0]?.message).toContain("closed");
  });
});

describe("segmentTracking: retries are counted once", () => {
  it("a retry after the SDK gave up on a request Segment did process sends the same message ids", async () => {
    // The SDK times out at 150 ms; the emulator answers the first request at 300 ms, after recording it.
    const { dispatch } = setup(
      segment,
      {},
      { retry: { retries: 1, minDelayMs: 0, jitter: false } },
      { httpRequestTimeout: 150 },
    );
    segment.delay(300);
    const dispatched = dispatch("createUser", fixtures.createUser(alice));
    await until(() => segment.requests.length === 1);
    segment.delay(0);
    const report = await dispatched;
    expect(report.results[0]).toMatchObject({ status: "fulfilled", attempts: 2 });
    await until(() => segment.messages.length === 4);
    // Two copies of each call reached Segment; it counts each once.
    expect(segment.uniqueMessages().map((message) => message.type)).toEqual(["identify", "track"]);
    expect(segment.duplicates).toBe(2);
    expect(new Set(segment.messages.map((message) => message.messageId))).toEqual(
      new Set([`segment-${report.dispatchId}-identify`, `segment-${report.dispatchId}-track`]),
    );
  });

  it("a retry after core's timeout waits for the call still on its way instead of sending a copy", async () => {
    const { dispatch } = setup(
      segment,
      {},
      { timeoutMs: 150, retry: { retries: 1, minDelayMs: 0 } },
    );
    segment.delay(250);
    const report = await dispatch("signIn", fixtures.signInOAuth(alice));
    expect(report.results[0]).toMatchObject({ status: "fulfilled", attempts: 2 });
    expect(segment.requests).toHaveLength(1);
    expect(segment.messages).toHaveLength(1);
  });

  it("a retry that waited for a call still on its way sends it again when that call fails", async () => {
    // Attempt 1 times out at 300 ms; attempt 2 waits for its call, which the SDK gives up on at 400 ms
    // (the emulator handled it at once but holds the answer 1 s); attempt 2 then sends it again.
    const { dispatch } = setup(
      segment,
      {},
      { timeoutMs: 300, retry: { retries: 1, minDelayMs: 0 } },
      { httpRequestTimeout: 400 },
    );
    segment.delay(1000);
    const dispatched = dispatch("signIn", fixtures.signInOAuth(alice));
    await until(() => segment.requests.length === 1);
    segment.delay(0);
    const report = await dispatched;
    expect(report.results[0]).toMatchObject({ status: "fulfilled", attempts: 2 });
    expect(segment.requests).toHaveLength(2);
    // Segment had the first copy too, and counts the two once.
    expect(segment.messages).toHaveLength(2);
    expect(segment.uniqueMessages()).toHaveLength(1);
  });
});

describe("segmentTracking: the client stays the app's", () => {
  it("never closes or reconfigures the client", async () => {
    const { dispatch, analytics } = setup(segment);
    await dispatch("signIn", fixtures.signInOAuth(alice));
    let closedCall = false;
    analytics.on("call_after_close", () => {
      closedCall = true;
    });
    const own = new Promise<unknown>((resolve) =>
      analytics.track({ userId: "u-app", event: "App Event" }, resolve),
    );
    await analytics.flush();
    expect(await own).toBeUndefined();
    expect(closedCall).toBe(false);
    expect(messagesOf(segment, "u-app")).toHaveLength(1);
  });
});

async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error("condition not met in time");
    await new Promise((wake) => setTimeout(wake, 5));
  }
}

describe("timeoutMs and retry, taken as every recipe takes them", () => {
  it("bound and retry this recipe's attempts, over composeEvents' defaults", async () => {
    const analytics = analyticsFor(segment);
    const recipe = segmentTracking({
      analytics,
      timeoutMs: 150,
      retry: { retries: 1, minDelayMs: 0 },
    });
    expect(recipe).toMatchObject({ timeoutMs: 150, retry: { retries: 1, minDelayMs: 0 } });
    segment.hang();
    const started = performance.now();
    const { errors, report } = await dispatchEvent([recipe], "signIn", fixtures.signInOAuth(alice));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(report.results[0]).toMatchObject({ status: "rejected", attempts: 2 });
    expect(errors[0]?.timedOut).toBe(true);
  });

  it("are left to composeEvents when not given", () => {
    const recipe = segmentTracking({ analytics: analyticsFor(segment) });
    expect(recipe).not.toHaveProperty("timeoutMs");
    expect(recipe).not.toHaveProperty("retry");
  });
});
