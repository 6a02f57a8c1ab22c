import { isRetryable } from "@auth-recipes/core";
import {
  type FixtureUser,
  hostileUsers,
  type StripeEmulator,
  startStripeApi,
  users,
} from "@auth-recipes/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  type CustomerCreatedInfo,
  StripeCustomerError,
  type StripeCustomerOptions,
  searchValue,
  stripeCustomer,
} from "../src/index.ts";
import { dispatch, quickRetry, stripeClient } from "./helpers.ts";

let emulator: StripeEmulator;

beforeAll(async () => {
  emulator = await startStripeApi();
});
beforeEach(async () => {
  await emulator.up();
  emulator.reset();
});
afterAll(() => emulator.close());

function recipe(options: Partial<StripeCustomerOptions> = {}) {
  return stripeCustomer({ stripe: stripeClient(emulator), ...options });
}

const alice = users.alice;
const creates = () =>
  emulator.requests.filter((r) => r.method === "POST" && r.path === "/v1/customers");

describe("createUser", () => {
  it("creates { email, name, metadata: { userId } } under an idempotency key derived from the user id", async () => {
    const { errors, report } = await dispatch(recipe(), "createUser", { user: alice });
    expect(errors).toEqual([]);
    expect(report.results[0]?.status).toBe("fulfilled");
    expect(emulator.customers).toHaveLength(1);
    expect(emulator.customers[0]).toMatchObject({
      email: "alice@example.test",
      name: "Alice Liddell",
      metadata: { userId: "user_alice" },
    });
    expect(creates()[0]?.headers["idempotency-key"]).toBe(
      "auth-recipes-stripe-customer-user_alice",
    );
  });

  it("gives a user with no email a customer all the same", async () => {
    await dispatch(recipe(), "createUser", { user: users.noEmail });
    expect(emulator.customers).toHaveLength(1);
    expect(emulator.customers[0]).toMatchObject({
      email: null,
      name: "Nemo Private",
      metadata: { userId: "user_noemail" },
    });
    // No email, nothing to look up by: the recipe went straight to create.
    expect(emulator.requests.map((r) => r.method)).toEqual(["POST"]);
  });

  it("leaves out an address Stripe would refuse, and still creates the customer", async () => {
    for (const user of [hostileUsers.crlfEmail, hostileUsers.spaceEmail, hostileUsers.twoEmails]) {
      const { errors } = await dispatch(recipe(), "createUser", { user });
      expect(errors).toEqual([]);
    }
    expect(emulator.customers.map((c) => [c.email, c.metadata.userId])).toEqual([
      [null, "user_hostile_crlf_email"],
      [null, "user_hostile_space_email"],
      [null, "user_hostile_two_emails"],
    ]);
  });

  it("leaves out an address with invisible or bidi characters, as the other recipes refuse it", async () => {
    for (const [i, email] of ["ali\u200Bce@example.test", "alice@exam\u202Eple.test"].entries()) {
      const user = { ...alice, id: `user_invisible_${i}`, email };
      const { errors } = await dispatch(recipe(), "createUser", { user });
      expect(errors).toEqual([]);
    }
    expect(emulator.customers.map((c) => [c.email, c.metadata.userId])).toEqual([
      [null, "user_invisible_0"],
      [null, "user_invisible_1"],
    ]);
  });

  it("cuts a name of family emoji on grapheme clusters: each family stays whole", async () => {
    // 7 code points each: 36 families are the most that fit in Stripe's 256.
    const family = "👨‍👩‍👧‍👦";
    await dispatch(recipe(), "createUser", { user: { ...alice, name: family.repeat(300) } });
    expect(emulator.customers[0]?.name).toBe(family.repeat(36));
  });

  it("cuts a long name to Stripe's 256 characters and turns line breaks into spaces", async () => {
    await dispatch(recipe(), "createUser", { user: hostileUsers.longName });
    await dispatch(recipe(), "createUser", { user: hostileUsers.crlfName });
    const [long, crlf] = emulator.customers;
    expect([...(long?.name ?? "")]).toHaveLength(256);
    expect(crlf?.name).not.toMatch(/[\r\n]/);
  });

  it("creates exactly one customer when a 500 is retried", async () => {
    emulator.fail({ times: 1, status: 500 });
    const { errors, report } = await dispatch(
      recipe({ reuseExisting: false }),
      "createUser",
      { user: alice },
      { retry: quickRetry },
    );
    expect(errors).toEqual([]);
    expect(report.results[0]?.attempts).toBe(2);
    expect(emulator.customers).toHaveLength(1);
    // One request per attempt: the SDK's own retries are off, core retried under the same key.
    const keys = creates().map((r) => r.headers["idempotency-key"]);
    expect(keys).toEqual(["auth-recipes-stripe-customer-user_alice", keys[0]]);
  });

  it("creates exactly one customer for two createUser events of one user", async () => {
    const seen: CustomerCreatedInfo[] = [];
    const r = recipe({ onCustomerCreated: (info) => void seen.push(info) });
    await dispatch(r, "createUser", { user: alice });
    await dispatch(r, "createUser", { user: alice });
    // And without email: the idempotency key alone keeps it at one.
    await dispatch(r, "createUser", { user: users.noEmail });
    await dispatch(r, "createUser", { user: users.noEmail });
    expect(emulator.customers.map((c) => c.metadata.userId)).toEqual([
      "user_alice",
      "user_noemail",
    ]);
    expect(seen.map((info) => info.customer.id)).toEqual([
      emulator.customers[0]?.id,
      emulator.customers[0]?.id,
      emulator.customers[1]?.id,
      emulator.customers[1]?.id,
    ]);
  });

  it("creates exactly one customer when a hang is cut by the timeout and the attempt retried", async () => {
    emulator.hang();
    let first = true;
    const started = performance.now();
    const { errors, report } = await dispatch(
      {
        ...recipe({ reuseExisting: false }),
        timeoutMs: 300,
        // The second attempt finds Stripe answering again.
        retry: {
          ...quickRetry,
          retryIf: (error) => {
            if (first) emulator.reset();
            first = false;
            return isRetryable(error);
          },
        },
      },
      "createUser",
      { user: alice },
    );
    expect(errors).toEqual([]);
    expect(report.results[0]).toMatchObject({ status: "fulfilled", attempts: 2 });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(emulator.customers).toHaveLength(1);
  });

  it("creates exactly one customer when the first attempt was processed but its answer came too late", async () => {
    emulator.delay(400);
    const started = performance.now();
    const { errors, report } = await dispatch(
      {
        ...recipe({ reuseExisting: false }),
        timeoutMs: 250,
        retry: {
          ...quickRetry,
          // The retry finds Stripe prompt again; the first request was processed, only its answer is late.
          retryIf: (error) => {
            emulator.delay(0);
            return isRetryable(error);
          },
        },
      },
      "createUser",
      { user: users.noEmail },
    );
    expect(errors).toEqual([]);
    expect(report.results[0]).toMatchObject({ status: "fulfilled", attempts: 2 });
    // Let the first attempt's late answer go out too: two creates received, one customer (the key replayed).
    await new Promise((wake) => setTimeout(wake, 450 - (performance.now() - started)));
    expect(creates()).toHaveLength(2);
    expect(emulator.customers).toHaveLength(1);
  });

  it("reuses a customer with the user's email that nobody owns, and makes it the user's", async () => {
    const stripe = stripeClient(emulator);
    const existing = await stripe.customers.create({ email: "alice@example.test", name: "Old" });
    const seen: CustomerCreatedInfo[] = [];
    await dispatch(recipe({ onCustomerCreated: (info) => void seen.push(info) }), "createUser", {
      user: alice,
    });
    expect(emulator.customers).toHaveLength(1);
    expect(emulator.customers[0]).toMatchObject({
      id: existing.id,
      metadata: { userId: "user_alice" },
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ reused: true, customer: { id: existing.id }, user: alice });
    // Found with the consistent list, not the lagging search.
    expect(emulator.requests[1]?.path).toBe("/v1/customers?email=alice%40example.test&limit=100");
    expect(emulator.searches).toHaveLength(0);
  });

  it("reuses by email even when search has not caught up", async () => {
    const lagging = await startStripeApi({ searchLagMs: 60_000 });
    try {
      const stripe = stripeClient(lagging);
      await stripe.customers.create({ email: "alice@example.test" });
      await dispatch(stripeCustomer({ stripe }), "createUser", { user: alice });
      expect(lagging.customers).toHaveLength(1);
    } finally {
      await lagging.close();
    }
  });

  it("never reuses a customer owned by another user", async () => {
    const stripe = stripeClient(emulator);
    const other = await stripe.customers.create({
      email: "alice@example.test",
      metadata: { userId: "someone_else" },
    });
    await dispatch(recipe(), "createUser", { user: alice });
    expect(emulator.customers).toHaveLength(2);
    expect(emulator.customers[0]).toMatchObject({
      id: other.id,
      metadata: { userId: "someone_else" },
    });
    expect(emulator.customers[1]).toMatchObject({ metadata: { userId: "user_alice" } });
  });

  it("does not look up by email with reuseExisting: false", async () => {
    await stripeClient(emulator).customers.create({ email: "alice@example.test" });
    await dispatch(recipe({ reuseExisting: false }), "createUser", { user: alice });
    expect(emulator.customers).toHaveLength(2);
  });

  it("handles an email with a quote", async () => {
    const obrien: FixtureUser = { ...alice, id: "user_obrien", email: "o'brien@example.test" };
    await dispatch(recipe(), "createUser", { user: obrien });
    await dispatch(recipe(), "createUser", { user: obrien });
    await dispatch(recipe(), "updateUser", { user: { ...obrien, name: "Conan O'Brien" } });
    expect(emulator.customers).toHaveLength(1);
    expect(emulator.customers[0]).toMatchObject({
      email: "o'brien@example.test",
      name: "Conan O'Brien",
      metadata: { userId: "user_obrien" },
    });
  });

  it("finds the user's customer when Stripe answers the key with an idempotency error", async () => {
    const r = recipe();
    await dispatch(r, "createUser", { user: users.noEmail });
    // The same user again, with another name: the same key with other parameters.
    const renamed = { ...users.noEmail, name: "Renamed" };
    const seen: CustomerCreatedInfo[] = [];
    const { errors } = await dispatch(
      recipe({ onCustomerCreated: (info) => void seen.push(info) }),
      "createUser",
      { user: renamed },
    );
    expect(errors).toEqual([]);
    expect(emulator.customers).toHaveLength(1);
    expect(seen[0]?.customer.id).toBe(emulator.customers[0]?.id);
    const last = emulator.searches.at(-1);
    expect(last?.query).toBe("metadata['userId']:'user_noemail'");
  });

  it("waits for search to catch up after an idempotency error, retrying", async () => {
    const lagging = await startStripeApi({ searchLagMs: 200 });
    try {
      const r = stripeCustomer({ stripe: stripeClient(lagging) });
      await dispatch(r, "createUser", { user: users.noEmail });
      const { errors, report } = await dispatch(
        r,
        "createUser",
        { user: { ...users.noEmail, name: "Renamed" } },
        { retry: { retries: 10, minDelayMs: 50, maxDelayMs: 100, jitter: false } },
      );
      expect(errors).toEqual([]);
      expect(report.results[0]?.attempts).toBeGreaterThan(1);
      expect(lagging.customers).toHaveLength(1);
    } finally {
      await lagging.close();
    }
  });

  it("merges customerParams, which may set email and name but not metadata.userId", async () => {
    await dispatch(
      recipe({
        customerParams: async (user) => ({
          name: `${user.name} (Acme)`,
          description: "signed up with next-auth",
          preferred_locales: ["fr"],
          metadata: { userId: "spoofed", plan: "free" },
        }),
      }),
      "createUser",
      { user: alice },
    );
    expect(emulator.customers[0]).toMatchObject({
      email: "alice@example.test",
      name: "Alice Liddell (Acme)",
      description: "signed up with next-auth",
      preferred_locales: ["fr"],
      metadata: { userId: "user_alice", plan: "free" },
    });
  });

  it("does nothing for a user getCustomerId already knows", async () => {
    const { report } = await dispatch(recipe({ getCustomerId: () => "cus_known" }), "createUser", {
      user: alice,
    });
    expect(report.results[0]).toMatchObject({ status: "skipped" });
    expect(emulator.requests).toHaveLength(0);
  });

  it("retries a failing onCustomerCreated with the same customer", async () => {
    let calls = 0;
    const stored: string[] = [];
    const { errors } = await dispatch(
      recipe({
        reuseExisting: false,
        onCustomerCreated: ({ customer }) => {
          calls++;
          if (calls === 1) throw Object.assign(new Error("database busy"), { retryable: true });
          stored.push(customer.id);
        },
      }),
      "createUser",
      { user: alice },
      { retry: quickRetry },
    );
    expect(errors).toEqual([]);
    expect(calls).toBe(2);
    expect(emulator.customers).toHaveLength(1);
    expect(stored).toEqual([emulator.customers[0]?.id]);
  });
});

describe("updateUser", () => {
  it("sends only the fields that changed", async () => {
    const r = recipe();
    await dispatch(r, "createUser", { user: alice });
    const { id } = emulator.customers[0]!;
    emulator.requests.length = 0;

    await dispatch(r, "updateUser", { user: { ...alice, name: "Alice Hargreaves" } });
    const update = emulator.requests.find((req) => req.method === "POST");
    expect(update?.path).toBe(`/v1/customers/${id}`);
    expect(new URLSearchParams(update?.body).toString()).toBe("name=Alice+Hargreaves");
    expect(emulator.customers[0]).toMatchObject({
      name: "Alice Hargreaves",
      email: "alice@example.test",
    });

    emulator.requests.length = 0;
    await dispatch(r, "updateUser", {
      user: { ...alice, name: "Alice Hargreaves", email: "alice.h@example.test" },
    });
    // The customer has the old email: the list by the new one finds nothing, the search finds it.
    expect(emulator.searches.at(-1)?.query).toBe("metadata['userId']:'user_alice'");
    const second = emulator.requests.find((req) => req.method === "POST");
    expect(new URLSearchParams(second?.body).toString()).toBe("email=alice.h%40example.test");
    expect(emulator.customers[0]).toMatchObject({ email: "alice.h@example.test" });

    emulator.requests.length = 0;
    await dispatch(r, "updateUser", {
      user: { ...alice, name: null, email: "alice.h@example.test" },
    });
    // Up to date, and a name the user no longer has is not cleared.
    expect(emulator.requests.filter((req) => req.method === "POST")).toHaveLength(0);
    expect(emulator.customers[0]?.name).toBe("Alice Hargreaves");
    expect(emulator.customers).toHaveLength(1);
  });

  it("finds a customer that search has not indexed yet: an email change right after sign-up is not lost", async () => {
    const lagging = await startStripeApi({ searchLagMs: 60_000 });
    try {
      const r = stripeCustomer({ stripe: stripeClient(lagging) });
      await dispatch(r, "createUser", { user: alice });
      const changed = { ...alice, email: "alice.h@example.test" };
      const { errors, report } = await dispatch(r, "updateUser", { user: changed });
      expect(errors).toEqual([]);
      expect(report.results[0]?.status).toBe("fulfilled");
      // Before, search found nothing, the handler reported fulfilled, and the old email stayed.
      expect(lagging.customers).toHaveLength(1);
      expect(lagging.customers[0]).toMatchObject({
        email: "alice.h@example.test",
        metadata: { userId: alice.id },
      });
      expect(lagging.searches.at(-1)?.matched).toEqual([]);
    } finally {
      await lagging.close();
    }
  });

  it("reports a retryable failure when too many recent customers hide the user's from the scan", async () => {
    const lagging = await startStripeApi({ searchLagMs: 60_000 });
    try {
      const stripe = stripeClient(lagging);
      await dispatch(stripeCustomer({ stripe }), "createUser", { user: alice });
      // Created after Alice's, so newer: the list (newest first) reads them before hers.
      for (let i = 0; i < 501; i++) await stripe.customers.create({ name: `Other ${i}` });
      const { errors, report } = await dispatch(stripeCustomer({ stripe }), "updateUser", {
        user: { ...alice, email: "alice.h@example.test" },
      });
      expect(report.results[0]?.status).toBe("rejected");
      expect(errors[0]?.cause).toMatchObject({ retryable: true });
      expect(errors[0]?.message).toMatch(/getCustomerId/);
      expect(lagging.customers.find((c) => c.metadata.userId === alice.id)?.email).toBe(
        alice.email,
      );
    } finally {
      await lagging.close();
    }
  });

  it("creates nothing and throws nothing for a user without a customer", async () => {
    const { errors, report } = await dispatch(recipe(), "updateUser", { user: alice });
    expect(errors).toEqual([]);
    expect(report.results[0]?.status).toBe("fulfilled");
    expect(emulator.customers).toHaveLength(0);
    expect(emulator.requests.every((r) => r.method === "GET")).toBe(true);
  });

  it("syncs the customer getCustomerId names, and nothing when it names none or a deleted one", async () => {
    const stripe = stripeClient(emulator);
    const customer = await stripe.customers.create({ email: "alice@example.test", name: "A" });
    let stored: string | null = customer.id;
    const r = recipe({ getCustomerId: () => stored });
    await dispatch(r, "updateUser", { user: alice });
    expect(emulator.customers[0]).toMatchObject({
      name: "Alice Liddell",
      metadata: { userId: "user_alice" },
    });
    expect(emulator.searches).toHaveLength(0);

    stored = null;
    emulator.requests.length = 0;
    await dispatch(r, "updateUser", { user: { ...alice, name: "Other" } });
    expect(emulator.requests).toHaveLength(0);

    stored = customer.id;
    await stripe.customers.del(customer.id);
    const { errors } = await dispatch(r, "updateUser", { user: alice });
    expect(errors).toEqual([]);
    stored = "cus_missing";
    expect((await dispatch(r, "updateUser", { user: alice })).errors).toEqual([]);
    expect(emulator.customers).toHaveLength(0);
  });

  it("escapes the user id in the search, so a quote neither breaks nor widens it", async () => {
    const stripe = stripeClient(emulator);
    await stripe.customers.create({ name: "Victim", metadata: { userId: "victim" } });
    const hostile: FixtureUser = {
      ...users.noEmail,
      id: "x' OR metadata['userId']:'victim",
      name: "Mallory",
    };
    const { errors } = await dispatch(recipe(), "updateUser", { user: hostile });
    expect(errors).toEqual([]);
    expect(emulator.searches).toHaveLength(1);
    expect(emulator.searches[0]?.clauses).toEqual([
      { field: "metadata", key: "userId", operator: ":", value: hostile.id, negated: false },
    ]);
    expect(emulator.customers[0]).toMatchObject({ name: "Victim" });
  });

  it("quotes values with searchValue so that Stripe reads them back exactly", async () => {
    expect(searchValue(`a\\b'c`)).toBe(`'a\\\\b\\'c'`);
    const stripe = stripeClient(emulator);
    const tricky = `o'brien\\' OR name:'x`;
    const { id } = await stripe.customers.create({ metadata: { userId: tricky } });
    await stripe.customers.create({ name: "x", metadata: { userId: "other" } });
    const found = await stripe.customers.search({
      query: `metadata['userId']:${searchValue(tricky)}`,
    });
    expect(found.data.map((c) => c.id)).toEqual([id]);
  });

  it("is handled unless `on` leaves it out", () => {
    expect(Object.keys(recipe({ on: ["createUser"] }).events)).toEqual(["createUser"]);
    expect(Object.keys(recipe().events)).toEqual(["createUser", "updateUser"]);
  });

  it("alone, syncs a customer made elsewhere and never creates one", async () => {
    const r = recipe({ on: ["updateUser"] });
    expect(Object.keys(r.events)).toEqual(["updateUser"]);
    // A user with no customer gets none.
    const none = await dispatch(r, "updateUser", { user: alice });
    expect(none.errors).toEqual([]);
    expect(emulator.customers).toEqual([]);
    // One made outside this recipe (a migration, the dashboard) with the user's id is found and synced.
    await stripeClient(emulator).customers.create({
      email: alice.email!,
      metadata: { userId: alice.id! },
    });
    await dispatch(r, "updateUser", { user: { ...alice, name: "Alice Hargreaves" } });
    expect(emulator.customers).toHaveLength(1);
    expect(emulator.customers[0]).toMatchObject({ name: "Alice Hargreaves", email: alice.email });
  });
});

describe("errors", () => {
  it("bounds each request by the time left to the deadline, with no retry of the SDK's own", async () => {
    emulator.hang();
    const started = performance.now();
    let settledAfter = 0;
    let thrown: unknown;
    const base = recipe({ reuseExisting: false });
    const watched = {
      ...base,
      timeoutMs: 300,
      events: {
        createUser: async (...args: Parameters<NonNullable<typeof base.events.createUser>>) => {
          try {
            return await base.events.createUser!(...args);
          } catch (error) {
            thrown = error;
            throw error;
          } finally {
            settledAfter = performance.now() - started;
          }
        },
      },
    };
    const { errors } = await dispatch(watched, "createUser", { user: alice });
    // The client's own timeout is 80 s and it would retry twice: the handler itself stopped at its
    // 300 ms deadline. It settles just after core stopped waiting; the upper bound leaves room for a
    // busy machine and is still far below one request of the client's own.
    await vi.waitFor(() => expect(settledAfter).toBeGreaterThan(0), { timeout: 5000 });
    expect(settledAfter).toBeGreaterThanOrEqual(250);
    expect(settledAfter).toBeLessThan(3000);
    expect(emulator.requests).toHaveLength(1);
    expect(errors[0]?.timedOut).toBe(true);
    // The handler's own failure, which core no longer waited for: the request cut at the deadline, by
    // the SDK's timeout (a StripeConnectionError) or, on a loaded machine, the socket's own end first;
    // either way a retryable failure, named so that a failing run says which.
    const what = `${(thrown as Error)?.name}: ${(thrown as Error)?.message}`;
    expect(isRetryable(thrown), what).toBe(true);
    if (thrown instanceof StripeCustomerError) {
      expect(thrown).toMatchObject({ retryable: true, stripeType: "StripeConnectionError" });
    }
  });

  it("starts no request once the attempt's deadline has passed", async () => {
    let paramsDone: () => void = () => {};
    const done = new Promise<void>((resolve) => {
      paramsDone = resolve;
    });
    const slow = recipe({
      reuseExisting: false,
      customerParams: async () => {
        await new Promise((wake) => setTimeout(wake, 300));
        paramsDone();
        return {};
      },
    });
    const { errors } = await dispatch({ ...slow, timeoutMs: 150 }, "createUser", { user: alice });
    expect(errors[0]?.timedOut).toBe(true);
    await done;
    await new Promise((wake) => setTimeout(wake, 50));
    // Core gave up on the attempt (and a retry may be running): this one must not create behind its back.
    expect(emulator.requests).toHaveLength(0);
  });

  it("marks 5xx, 429 and connection errors retryable", async () => {
    for (const status of [500, 503, 429]) {
      emulator.reset();
      emulator.fail({ times: 10, status });
      const { errors } = await dispatch(
        recipe(),
        "createUser",
        { user: alice },
        { retry: quickRetry },
      );
      const cause = errors[0]?.cause as StripeCustomerError;
      expect(cause, String(status)).toBeInstanceOf(StripeCustomerError);
      expect(cause).toMatchObject({ retryable: true, statusCode: status });
      expect(errors[0]?.attempts).toBe(3);
    }
    await emulator.down();
    const { errors } = await dispatch(recipe(), "createUser", { user: alice });
    expect(errors[0]?.cause).toMatchObject({
      retryable: true,
      stripeType: "StripeConnectionError",
    });
    expect(isRetryable(errors[0]?.cause)).toBe(true);
  });

  it("marks invalid request and authentication errors not retryable, and never quotes the key", async () => {
    const key = "sk_test_51HonestlyNotARealKey000000secret";
    const wrong = stripeCustomer({ stripe: stripeClient(emulator, key) });
    const auth = await dispatch(wrong, "createUser", { user: alice }, { retry: quickRetry });
    expect(auth.errors).toHaveLength(1);
    expect(auth.errors[0]?.attempts).toBe(1);
    const cause = auth.errors[0]?.cause as StripeCustomerError;
    expect(cause).toMatchObject({
      retryable: false,
      statusCode: 401,
      stripeType: "StripeAuthenticationError",
    });
    for (const text of [auth.errors[0]?.message, cause.message]) {
      expect(text).not.toContain(key);
      expect(text).not.toContain("sk_test_");
      expect(text).not.toContain("alice@example.test");
    }
    expect(cause.message).toContain("[redacted]");

    emulator.fail({
      times: 1,
      status: 400,
      body: {
        error: {
          type: "invalid_request_error",
          code: "email_invalid",
          message: "Invalid email address: alice@example.test",
        },
      },
    });
    const invalid = await dispatch(recipe(), "createUser", { user: alice }, { retry: quickRetry });
    expect(invalid.errors[0]?.attempts).toBe(1);
    expect(invalid.errors[0]?.cause).toMatchObject({ retryable: false, code: "email_invalid" });
    expect(invalid.errors[0]?.message).not.toContain("alice@example.test");
  });
});

describe("options", () => {
  it("throws a TypeError naming a missing or wrong option", () => {
    expect(() => stripeCustomer(undefined as unknown as StripeCustomerOptions)).toThrow(TypeError);
    expect(() => stripeCustomer({} as StripeCustomerOptions)).toThrow(
      '[auth-recipes/stripe] option "stripe" is required',
    );
    expect(() => stripeCustomer({ stripe: {} as StripeCustomerOptions["stripe"] })).toThrow(
      /option "stripe" must be a Stripe client/,
    );
    const stripe = stripeClient(emulator);
    for (const name of ["customerParams", "onCustomerCreated", "getCustomerId"]) {
      expect(() => stripeCustomer({ stripe, [name]: "x" })).toThrow(
        new TypeError(`[auth-recipes/stripe] option "${name}" must be a function`),
      );
    }
    expect(() => stripeCustomer({ stripe, reuseExisting: "yes" as never })).toThrow(
      'option "reuseExisting" must be a boolean',
    );
    expect(() => stripeCustomer({ stripe, on: [] })).toThrow(
      new TypeError(
        '[auth-recipes/stripe] option "on" must list at least one of createUser, updateUser',
      ),
    );
    expect(() => stripeCustomer({ stripe, on: ["signIn"] as never })).toThrow(
      'option "on" has an unknown event "signIn"; the events are createUser, updateUser',
    );
    // An old name fails at configuration instead of being ignored.
    expect(() => stripeCustomer({ stripe, syncOnUpdate: false } as never)).toThrow(
      'option "syncOnUpdate" is not an option of stripeCustomer',
    );
  });

  it("refuses `client`: the client is `stripe`, as Stripe's quick start names it", () => {
    const stripe = stripeClient(emulator);
    expect(() => stripeCustomer({ client: stripe } as never)).toThrow(
      new TypeError(
        '[auth-recipes/stripe] option "client" is not an option of stripeCustomer; the options are stripe, on, customerParams, onCustomerCreated, getCustomerId, reuseExisting, timeoutMs, retry',
      ),
    );
  });
});

describe("timeoutMs and retry, taken as every recipe takes them", () => {
  it("bound and retry this recipe's attempts, over composeEvents' defaults", async () => {
    const r = recipe({ timeoutMs: 150, retry: { retries: 1, minDelayMs: 0 } });
    expect(r).toMatchObject({ timeoutMs: 150, retry: { retries: 1, minDelayMs: 0 } });
    emulator.hang();
    const started = performance.now();
    const { errors, report } = await dispatch(r, "createUser", { user: alice });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(report.results[0]).toMatchObject({ status: "rejected", attempts: 2 });
    // Each attempt ends at its bound: core's timer, or the SDK's request timeout that the recipe sets to
    // the same deadline (on a loaded machine either can fire first); both are retryable timeouts.
    const error = errors[0];
    expect(error?.timedOut === true || isRetryable(error?.cause)).toBe(true);
  });

  it("are left to composeEvents when not given", () => {
    const r = recipe();
    expect(r).not.toHaveProperty("timeoutMs");
    expect(r).not.toHaveProperty("retry");
  });
});
