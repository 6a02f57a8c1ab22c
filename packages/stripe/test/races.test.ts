import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { RecipeError } from "@auth-recipes/core";
import { type StripeEmulator, startStripeApi, users } from "@auth-recipes/testing";
import Stripe from "stripe";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type CustomerCreatedInfo, StripeCustomerError, stripeCustomer } from "../src/index.ts";
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

const alice = users.alice;

describe("stripeCustomer: what a retry and a race report", () => {
  it("reports reused: false for the customer this createUser made when the first answer was lost", async () => {
    const stripe = stripeClient(emulator);
    // The first create is processed at once and answered late, after the attempt's timeout; the
    // retry's requests are answered at once.
    let posts = 0;
    stripe.on("request", (request: { method: string; path: string }) => {
      const create = request.method === "POST" && request.path === "/v1/customers";
      if (create) posts++;
      emulator.delay(create && posts === 1 ? 400 : 0);
    });
    const seen: CustomerCreatedInfo[] = [];
    const { errors, report } = await dispatch(
      {
        ...stripeCustomer({ stripe, onCustomerCreated: (info) => void seen.push(info) }),
        timeoutMs: 250,
        retry: quickRetry,
      },
      "createUser",
      { user: alice },
    );
    expect(errors).toEqual([]);
    expect(report.results[0]).toMatchObject({ status: "fulfilled", attempts: 2 });
    expect(emulator.customers).toHaveLength(1);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ reused: false, customer: { id: emulator.customers[0]?.id } });
  });

  it("still reports reused: true for a customer that existed before, found on a retry", async () => {
    const stripe = stripeClient(emulator);
    await stripe.customers.create({ email: alice.email!, metadata: { userId: alice.id } });
    const seen: CustomerCreatedInfo[] = [];
    await dispatch(
      stripeCustomer({ stripe, onCustomerCreated: (info) => void seen.push(info) }),
      "createUser",
      { user: alice },
    );
    expect(seen.map((info) => info.reused)).toEqual([true]);
  });

  it("puts Stripe's Retry-After on the error of a 429, in ms", async () => {
    emulator.fail({ times: 1, status: 429, headers: { "Retry-After": "2" } });
    const { errors } = await dispatch(
      stripeCustomer({ stripe: stripeClient(emulator), reuseExisting: false }),
      "createUser",
      { user: alice },
    );
    expect(errors[0]).toBeInstanceOf(RecipeError);
    expect(errors[0]?.cause).toBeInstanceOf(StripeCustomerError);
    expect(errors[0]?.cause).toMatchObject({
      statusCode: 429,
      retryable: true,
      retryAfterMs: 2000,
    });
  });

  it("never retries sooner than a 429's Retry-After: longer than maxDelayMs, it reports instead", async () => {
    emulator.fail({ times: 1, status: 429, headers: { "Retry-After": "1" } });
    const { errors, report } = await dispatch(
      stripeCustomer({ stripe: stripeClient(emulator), reuseExisting: false }),
      "createUser",
      { user: alice },
      { retry: { retries: 3, minDelayMs: 10, maxDelayMs: 100 } },
    );
    // Before, the retry came ~100 ms later, into Stripe's certain second 429.
    const creates = emulator.requests.filter((r) => r.method === "POST");
    expect(creates).toHaveLength(1);
    expect(report.results[0]).toMatchObject({ status: "rejected", attempts: 1 });
    expect(errors[0]?.cause).toMatchObject({ statusCode: 429, retryAfterMs: 1000 });

    // Within maxDelayMs, the retry waits as long as Stripe asked.
    emulator.reset();
    emulator.fail({ times: 1, status: 429, headers: { "Retry-After": "1" } });
    const second = await dispatch(
      stripeCustomer({ stripe: stripeClient(emulator), reuseExisting: false }),
      "createUser",
      { user: alice },
      { retry: { retries: 3, minDelayMs: 10, maxDelayMs: 2000 } },
    );
    expect(second.report.results[0]).toMatchObject({ status: "fulfilled", attempts: 2 });
    const [first, retried] = emulator.requests.filter((r) => r.method === "POST");
    expect(retried!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(1000);
  });

  it("leaves retryAfterMs out when a 429 has no Retry-After", async () => {
    emulator.fail({ times: 1, status: 429 });
    const { errors } = await dispatch(
      stripeCustomer({ stripe: stripeClient(emulator), reuseExisting: false }),
      "createUser",
      { user: alice },
    );
    expect(errors[0]?.cause).toMatchObject({ statusCode: 429 });
    expect(errors[0]?.cause).not.toHaveProperty("retryAfterMs");
  });
});

/**
 * A Stripe that answers a request whose Idempotency-Key is still being processed with 409
 * `idempotency_key_in_use`, as Stripe does, and replays the first answer once it is done. The emulator
 * processes each request at once, so it never has such a window.
 */
async function slowStripe(createMs: number) {
  const customers: Record<string, unknown>[] = [];
  const inFlight = new Set<string>();
  const answered = new Map<string, string>();
  let creates = 0;
  const json = (res: ServerResponse, status: number, body: unknown, headers = {}) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(typeof body === "string" ? body : JSON.stringify(body));
  };
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    const url = new URL(req.url ?? "/", "http://stripe");
    if (req.method === "GET" && url.pathname === "/v1/customers") {
      const email = url.searchParams.get("email");
      const data = customers.filter((c) => c.email === email);
      return json(res, 200, { object: "list", data, has_more: false, url: "/v1/customers" });
    }
    if (req.method === "GET" && url.pathname === "/v1/customers/search") {
      return json(res, 200, { object: "search_result", data: [], has_more: false });
    }
    if (req.method !== "POST" || url.pathname !== "/v1/customers") return json(res, 404, {});
    const key = String(req.headers["idempotency-key"]);
    const replay = answered.get(key);
    if (replay) return json(res, 200, replay, { "idempotent-replayed": "true" });
    if (inFlight.has(key)) {
      return json(res, 409, {
        error: {
          type: "invalid_request_error",
          code: "idempotency_key_in_use",
          message:
            "There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through). Please try again later.",
        },
      });
    }
    inFlight.add(key);
    creates++;
    await new Promise((wake) => setTimeout(wake, createMs));
    const form = new URLSearchParams(body);
    const customer = {
      id: `cus_${customers.length + 1}`,
      object: "customer",
      email: form.get("email"),
      name: form.get("name"),
      metadata: { userId: form.get("metadata[userId]") },
    };
    customers.push(customer);
    const answer = JSON.stringify(customer);
    answered.set(key, answer);
    inFlight.delete(key);
    json(res, 200, answer);
  });
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  const { port } = server.address() as AddressInfo;
  const stripe = new Stripe("sk_test_races", {
    host: "127.0.0.1",
    port,
    protocol: "http",
    telemetry: false,
  });
  return {
    stripe,
    customers,
    creates: () => creates,
    close: () =>
      new Promise<void>((closed) => {
        server.closeAllConnections();
        server.close(() => closed());
      }),
  };
}

describe("stripeCustomer: two createUser for one user at once", () => {
  it("the second waits for the first's create and gets the same customer, without a 409", async () => {
    const fake = await slowStripe(300);
    try {
      const seen: CustomerCreatedInfo[] = [];
      const recipe = stripeCustomer({
        stripe: fake.stripe,
        onCustomerCreated: (info) => void seen.push(info),
      });
      const first = dispatch(recipe, "createUser", { user: alice }, { timeoutMs: 2000 });
      await new Promise((wake) => setTimeout(wake, 50));
      const second = dispatch(recipe, "createUser", { user: alice }, { timeoutMs: 2000 });
      const outcomes = await Promise.all([first, second]);
      for (const { errors, report } of outcomes) {
        expect(errors).toEqual([]);
        expect(report.results[0]).toMatchObject({ status: "fulfilled", attempts: 1 });
      }
      expect(fake.creates()).toBe(1);
      expect(fake.customers).toHaveLength(1);
      expect(seen.map((info) => info.customer.id)).toEqual(["cus_1", "cus_1"]);
      expect(seen.map((info) => info.reused)).toEqual([false, false]);
    } finally {
      await fake.close();
    }
  });

  it("gives up within the deadline when the first create never finishes", async () => {
    const fake = await slowStripe(60_000);
    try {
      const recipe = stripeCustomer({ stripe: fake.stripe, reuseExisting: false });
      void dispatch(recipe, "createUser", { user: alice }, { timeoutMs: 5000 });
      await new Promise((wake) => setTimeout(wake, 50));
      const started = performance.now();
      const { errors } = await dispatch(recipe, "createUser", { user: alice }, { timeoutMs: 300 });
      expect(performance.now() - started).toBeLessThan(600);
      expect(errors).toHaveLength(1);
      expect(fake.creates()).toBe(1);
    } finally {
      await fake.close();
    }
  });
});
