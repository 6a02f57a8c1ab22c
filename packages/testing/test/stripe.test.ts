import Stripe from "stripe";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { type StripeEmulator, startStripeApi } from "../src/index.ts";

let emulator: StripeEmulator;

beforeAll(async () => {
  emulator = await startStripeApi();
});
beforeEach(() => emulator.reset());
afterAll(() => emulator.close());

function client(config: { maxNetworkRetries?: number; timeout?: number; key?: string } = {}) {
  return new Stripe(config.key ?? emulator.apiKey, {
    ...emulator.clientOptions,
    maxNetworkRetries: config.maxNetworkRetries ?? 0,
    timeout: config.timeout ?? 2000,
    telemetry: false,
  });
}

// What the promise rejected with; fails the test if it resolved.
async function failure(promise: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await promise;
  } catch (error) {
    return error as Stripe.errors.StripeError;
  }
  throw new Error("expected the call to fail");
}

function raw(path: string, init: RequestInit = {}) {
  return fetch(emulator.url + path, init).then(async (response) => ({
    status: response.status,
    body: (await response.json()) as { error?: { type: string; code?: string; message: string } },
  }));
}

describe("startStripeApi", () => {
  it("gives the options that point the SDK at it", () => {
    expect(emulator.clientOptions).toEqual({
      host: "127.0.0.1",
      port: emulator.port,
      protocol: "http",
    });
    expect(emulator.url).toBe(`http://127.0.0.1:${emulator.port}`);
    expect(emulator.apiKey).toMatch(/^sk_test_/);
  });

  describe("customers", () => {
    it("creates a customer from Stripe's bracket form encoding, nested values included", async () => {
      const customer = await client().customers.create({
        email: "alice@example.test",
        name: "Alice",
        metadata: { userId: "u1", plan: "pro" },
        preferred_locales: ["fr", "en"],
        address: { city: "Paris", country: "FR" },
      });
      const [request] = emulator.requests;
      expect(request?.method).toBe("POST");
      expect(decodeURIComponent(request?.body ?? "")).toContain("metadata[userId]=u1");
      expect(customer.id).toMatch(/^cus_\w{14}$/);
      expect(emulator.customers).toHaveLength(1);
      expect(emulator.customers[0]).toMatchObject({
        id: customer.id,
        object: "customer",
        email: "alice@example.test",
        name: "Alice",
        metadata: { userId: "u1", plan: "pro" },
        preferred_locales: ["fr", "en"],
        address: { city: "Paris", country: "FR" },
        livemode: false,
      });
      expect(customer).toMatchObject({ email: "alice@example.test", metadata: { userId: "u1" } });
      expect(customer.lastResponse.requestId).toMatch(/^req_/);
    });

    it("retrieves, updates (metadata merged, emptied values removed) and deletes", async () => {
      const stripe = client();
      const { id } = await stripe.customers.create({
        email: "bob@example.test",
        name: "Bob",
        metadata: { userId: "u2", stale: "x" },
      });
      const updated = await stripe.customers.update(id, {
        name: "Robert",
        metadata: { stale: "", plan: "team" },
      });
      expect(updated).toMatchObject({ name: "Robert", email: "bob@example.test" });
      expect(updated.metadata).toEqual({ userId: "u2", plan: "team" });
      expect((await stripe.customers.retrieve(id)) as Stripe.Customer).toMatchObject({
        name: "Robert",
        metadata: { userId: "u2", plan: "team" },
      });
      await stripe.customers.update(id, { email: "", metadata: "" });
      expect(emulator.customers[0]).toMatchObject({ email: null, metadata: {} });

      expect(await stripe.customers.del(id)).toMatchObject({ id, deleted: true });
      expect(emulator.customers).toHaveLength(0);
      expect(await stripe.customers.retrieve(id)).toMatchObject({ id, deleted: true });
      const error = await failure(stripe.customers.update(id, { name: "Ghost" }));
      expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect(error.statusCode).toBe(404);
    });

    it("answers an unknown id with a 404 resource_missing", async () => {
      const error = await failure(client().customers.retrieve("cus_doesnotexist"));
      expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect(error).toMatchObject({
        statusCode: 404,
        code: "resource_missing",
        param: "id",
        rawType: "invalid_request_error",
      });
      expect(error.message).toBe("No such customer: 'cus_doesnotexist'");
    });

    it("refuses unknown parameters, invalid emails and overlong names, creating nothing", async () => {
      const stripe = client();
      const unknown = await failure(
        stripe.customers.create({ emial: "x@example.test" } as Stripe.CustomerCreateParams),
      );
      expect(unknown).toMatchObject({ statusCode: 400, code: "parameter_unknown", param: "emial" });
      for (const email of [
        "a@example.test\r\nBcc: evil@attacker.test",
        "a b@example.test",
        "a@example.test, b@example.test",
        "no-at-sign",
      ]) {
        const error = await failure(stripe.customers.create({ email }));
        expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
        expect(error).toMatchObject({ statusCode: 400, code: "email_invalid", param: "email" });
      }
      const long = await failure(stripe.customers.create({ name: "x".repeat(257) }));
      expect(long).toMatchObject({ statusCode: 400, param: "name" });
      const metadata = await failure(
        stripe.customers.create({ metadata: { ["k".repeat(41)]: "v" } }),
      );
      expect(metadata).toMatchObject({ statusCode: 400 });
      expect(emulator.customers).toHaveLength(0);
      // An email with a quote is a valid address.
      await stripe.customers.create({ email: "o'brien@example.test" });
      expect(emulator.customers).toHaveLength(1);
    });
  });

  describe("list", () => {
    it("filters by exact, case-sensitive email, newest first, with limit and pagination", async () => {
      const stripe = client();
      const first = await stripe.customers.create({ email: "carol@example.test", name: "1" });
      const second = await stripe.customers.create({ email: "carol@example.test", name: "2" });
      await stripe.customers.create({ email: "Carol@example.test", name: "3" });
      await stripe.customers.create({ email: "dave@example.test", name: "4" });

      const all = await stripe.customers.list({ email: "carol@example.test" });
      expect(all.data.map((c) => c.id)).toEqual([second.id, first.id]);
      expect(all).toMatchObject({ object: "list", has_more: false, url: "/v1/customers" });
      expect(emulator.requests.at(-1)?.path).toBe("/v1/customers?email=carol%40example.test");

      const page = await stripe.customers.list({ email: "carol@example.test", limit: 1 });
      expect(page.data.map((c) => c.id)).toEqual([second.id]);
      expect(page.has_more).toBe(true);
      const next = await stripe.customers.list({
        email: "carol@example.test",
        limit: 1,
        starting_after: second.id,
      });
      expect(next.data.map((c) => c.id)).toEqual([first.id]);
      expect(next.has_more).toBe(false);

      expect((await stripe.customers.list({ email: "CAROL@example.test" })).data).toEqual([]);
      expect((await stripe.customers.list()).data.map((c) => c.name)).toEqual(["4", "3", "2", "1"]);
    });

    it("auto-paginates through the SDK", async () => {
      const stripe = client();
      for (let i = 0; i < 5; i++) await stripe.customers.create({ email: "eve@example.test" });
      const ids = await stripe.customers.list({ limit: 2 }).autoPagingToArray({ limit: 10 });
      expect(ids).toHaveLength(5);
      expect(new Set(ids.map((c) => c.id)).size).toBe(5);
    });

    it("refuses a limit outside 1..100", async () => {
      const error = await failure(client().customers.list({ limit: 101 }));
      expect(error).toMatchObject({ statusCode: 400, param: "limit" });
    });
  });

  describe("search", () => {
    it("finds by email and by metadata, joined with AND or OR", async () => {
      const stripe = client();
      const alice = await stripe.customers.create({
        email: "alice@example.test",
        metadata: { userId: "u1" },
      });
      const bob = await stripe.customers.create({
        email: "bob@example.test",
        metadata: { userId: "u2" },
      });

      const byEmail = await stripe.customers.search({ query: "email:'alice@example.test'" });
      expect(byEmail.data.map((c) => c.id)).toEqual([alice.id]);
      expect(byEmail).toMatchObject({ object: "search_result", has_more: false });

      const byMetadata = await stripe.customers.search({ query: `metadata["userId"]:"u2"` });
      expect(byMetadata.data.map((c) => c.id)).toEqual([bob.id]);

      const both = await stripe.customers.search({
        query: "metadata['userId']:'u1' OR email:'bob@example.test'",
      });
      expect(both.data.map((c) => c.id)).toEqual([bob.id, alice.id]);

      const neither = await stripe.customers.search({
        query: "metadata['userId']:'u1' AND email:'bob@example.test'",
      });
      expect(neither.data).toEqual([]);

      const negated = await stripe.customers.search({ query: "-email:'alice@example.test'" });
      expect(negated.data.map((c) => c.id)).toEqual([bob.id]);

      expect(emulator.searches[0]).toMatchObject({
        query: "email:'alice@example.test'",
        clauses: [{ field: "email", operator: ":", value: "alice@example.test", negated: false }],
        matched: [alice.id],
      });
    });

    it("reads Stripe's quote escaping, so an escaped value neither breaks nor widens the query", async () => {
      const stripe = client();
      const obrien = await stripe.customers.create({
        email: "o'brien@example.test",
        metadata: { userId: "x' OR email:'bob@example.test" },
      });
      await stripe.customers.create({ email: "bob@example.test", metadata: { userId: "u2" } });

      const escaped = await stripe.customers.search({ query: "email:'o\\'brien@example.test'" });
      expect(escaped.data.map((c) => c.id)).toEqual([obrien.id]);

      const hostile = "x\\' OR email:\\'bob@example.test";
      const byMetadata = await stripe.customers.search({
        query: `metadata['userId']:'${hostile}'`,
      });
      expect(byMetadata.data.map((c) => c.id)).toEqual([obrien.id]);
      expect(emulator.searches.at(-1)?.clauses).toEqual([
        {
          field: "metadata",
          key: "userId",
          operator: ":",
          value: "x' OR email:'bob@example.test",
          negated: false,
        },
      ]);

      // The same value unescaped is what an injection looks like: two clauses, and Bob matches.
      const widened = await stripe.customers.search({
        query: "metadata['userId']:'x' OR email:'bob@example.test'",
      });
      expect(widened.data).toHaveLength(1);
      expect(emulator.searches.at(-1)?.clauses).toHaveLength(2);
    });

    it("answers a query it cannot parse with a 400 on the query parameter", async () => {
      const stripe = client();
      for (const query of [
        "email:'o'brien@example.test'",
        "email:'unterminated",
        "email:alice@example.test",
        "nickname:'x'",
        "metadata[userId]:'u1'",
        "email:'a@x.test' AND name:'A' OR name:'B'",
        "email~'ab'",
        "",
      ]) {
        const error = await failure(stripe.customers.search({ query }));
        expect(error, query).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
        expect(error, query).toMatchObject({ statusCode: 400, param: "query" });
      }
      expect(emulator.searches).toHaveLength(0);
    });

    it("lags behind writes by searchLagMs, while list does not", async () => {
      const lagging = await startStripeApi({ searchLagMs: 300 });
      try {
        const stripe = new Stripe(lagging.apiKey, {
          ...lagging.clientOptions,
          maxNetworkRetries: 0,
          telemetry: false,
        });
        const { id } = await stripe.customers.create({ email: "late@example.test" });
        const query = "email:'late@example.test'";
        expect((await stripe.customers.search({ query })).data).toEqual([]);
        expect((await stripe.customers.list({ email: "late@example.test" })).data).toHaveLength(1);
        await vi.waitFor(
          async () => {
            expect((await stripe.customers.search({ query })).data.map((c) => c.id)).toEqual([id]);
          },
          { timeout: 2000, interval: 100 },
        );
      } finally {
        await lagging.close();
      }
    });
  });

  describe("authentication", () => {
    it("answers a wrong key with a 401 in Stripe's shape, the key masked", async () => {
      const wrong = "sk_test_wrongwrongwrong1234";
      const error = await failure(client({ key: wrong }).customers.list());
      expect(error).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
      expect(error.statusCode).toBe(401);
      expect(error.message).toContain("Invalid API Key provided: sk_test_");
      expect(error.message).toContain("1234");
      expect(error.message).not.toContain(wrong);
    });

    it("takes the key as Bearer or Basic auth and refuses a request without one", async () => {
      const basic = Buffer.from(`${emulator.apiKey}:`).toString("base64");
      expect(
        (await raw("/v1/customers", { headers: { authorization: `Basic ${basic}` } })).status,
      ).toBe(200);
      const bearer = { authorization: `Bearer ${emulator.apiKey}` };
      expect((await raw("/v1/customers", { headers: bearer })).status).toBe(200);
      const none = await raw("/v1/customers");
      expect(none.status).toBe(401);
      expect(none.body.error?.message).toMatch(/did not provide an API key/);
      const unknownPath = await raw("/v1/charges", { headers: bearer });
      expect(unknownPath.status).toBe(404);
      expect(unknownPath.body.error).toMatchObject({ type: "invalid_request_error" });
    });
  });

  describe("idempotency", () => {
    it("answers the same key with the same parameters with the first response, creating once", async () => {
      const stripe = client();
      const params = { email: "alice@example.test", metadata: { userId: "u1" } };
      const first = await stripe.customers.create(params, { idempotencyKey: "key-1" });
      const again = await stripe.customers.create(params, { idempotencyKey: "key-1" });
      expect(again.id).toBe(first.id);
      expect(emulator.customers).toHaveLength(1);
      expect(emulator.requests).toHaveLength(2);
      const replayHeaders = (again.lastResponse as unknown as { headers: Record<string, string> })
        .headers;
      expect(replayHeaders["idempotent-replayed"]).toBe("true");
      expect(replayHeaders["original-request"]).toBe(first.lastResponse.requestId);
      // A replay answers what was created, not what the customer became since.
      await stripe.customers.update(first.id, { name: "Renamed" });
      const third = await stripe.customers.create(params, { idempotencyKey: "key-1" });
      expect(third.name).toBeNull();
    });

    it("answers the same key with other parameters or another endpoint with an idempotency_error", async () => {
      const stripe = client();
      const { id } = await stripe.customers.create(
        { email: "alice@example.test" },
        { idempotencyKey: "key-2" },
      );
      const other = await failure(
        stripe.customers.create({ email: "alicia@example.test" }, { idempotencyKey: "key-2" }),
      );
      expect(other).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
      expect(other).toMatchObject({ statusCode: 400, rawType: "idempotency_error" });
      const endpoint = await failure(
        stripe.customers.update(id, { email: "alice@example.test" }, { idempotencyKey: "key-2" }),
      );
      expect(endpoint).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
      expect(emulator.customers).toHaveLength(1);
    });

    it("saves no result for a request refused for its parameters", async () => {
      const stripe = client();
      await failure(stripe.customers.create({ email: "bad address" }, { idempotencyKey: "key-3" }));
      const created = await stripe.customers.create(
        { email: "good@example.test" },
        { idempotencyKey: "key-3" },
      );
      expect(emulator.customers.map((c) => c.id)).toEqual([created.id]);
    });

    it("forgets keys on reset", async () => {
      const stripe = client();
      await stripe.customers.create({}, { idempotencyKey: "key-4" });
      emulator.reset();
      await stripe.customers.create({ name: "other" }, { idempotencyKey: "key-4" });
      expect(emulator.customers).toHaveLength(1);
    });
  });

  describe("faults", () => {
    it("fails the next requests with a 500 the SDK retries under the same idempotency key", async () => {
      emulator.fail({ times: 1, status: 500 });
      const customer = await client({ maxNetworkRetries: 1 }).customers.create({
        email: "alice@example.test",
      });
      expect(emulator.customers.map((c) => c.id)).toEqual([customer.id]);
      expect(emulator.requests).toHaveLength(2);
      const [first, second] = emulator.requests;
      expect(first?.headers["idempotency-key"]).toBeTruthy();
      expect(second?.headers["idempotency-key"]).toBe(first?.headers["idempotency-key"]);
    });

    it("fails with a 500 as StripeAPIError and a 429 as StripeRateLimitError, the service untouched", async () => {
      const stripe = client();
      emulator.fail({ times: 1, status: 500 });
      const api = await failure(stripe.customers.create({ email: "alice@example.test" }));
      expect(api).toBeInstanceOf(Stripe.errors.StripeAPIError);
      expect(api.statusCode).toBe(500);
      emulator.fail({ times: 1, status: 429, headers: { "retry-after": "1" } });
      const limited = await failure(stripe.customers.list());
      expect(limited).toBeInstanceOf(Stripe.errors.StripeRateLimitError);
      expect(emulator.customers).toHaveLength(0);
      expect(emulator.requests).toHaveLength(2);
    });

    it("delays answers", async () => {
      emulator.delay(150);
      const started = performance.now();
      await client().customers.list();
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    });

    it("processes a request whose answer came too late, and the retry with its key replays it", async () => {
      const stripe = client({ timeout: 100 });
      emulator.delay(300);
      const params = { email: "alice@example.test", metadata: { userId: "u1" } };
      const error = await failure(stripe.customers.create(params, { idempotencyKey: "user-u1" }));
      expect(error).toBeInstanceOf(Stripe.errors.StripeConnectionError);
      expect(error.message).toMatch(/timeout/);
      // The service went on and created the customer although nobody heard the answer.
      await vi.waitFor(() => expect(emulator.customers).toHaveLength(1), { timeout: 1000 });
      emulator.delay(0);
      const retried = await stripe.customers.create(params, { idempotencyKey: "user-u1" });
      expect(retried.id).toBe(emulator.customers[0]?.id);
      expect(emulator.customers).toHaveLength(1);
    });

    it("hangs until the client's timeout, and reset() answers again", async () => {
      emulator.hang();
      const started = performance.now();
      const error = await failure(client({ timeout: 150 }).customers.list());
      expect(error).toBeInstanceOf(Stripe.errors.StripeConnectionError);
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);
      expect(emulator.requests).toHaveLength(1);
      emulator.reset();
      await expect(client().customers.list()).resolves.toMatchObject({ object: "list" });
    });

    it("refuses connections while down, and serves the same port again once up", async () => {
      const stripe = client();
      await emulator.down();
      const error = await failure(stripe.customers.list());
      expect(error).toBeInstanceOf(Stripe.errors.StripeConnectionError);
      expect((error.detail as { code?: string } | undefined)?.code).toBe("ECONNREFUSED");
      await emulator.up();
      await expect(stripe.customers.create({ name: "back" })).resolves.toMatchObject({
        name: "back",
      });
      expect(emulator.customers).toHaveLength(1);
    });

    it("closes at once with a request hanging", async () => {
      const hung = await startStripeApi();
      hung.hang();
      const stripe = new Stripe(hung.apiKey, {
        ...hung.clientOptions,
        maxNetworkRetries: 0,
        timeout: 10_000,
        telemetry: false,
      });
      const pending = failure(stripe.customers.list());
      await vi.waitFor(() => expect(hung.requests).toHaveLength(1));
      const started = performance.now();
      await hung.close();
      expect(performance.now() - started).toBeLessThan(500);
      expect(await pending).toBeInstanceOf(Stripe.errors.StripeConnectionError);
    });
  });
});
