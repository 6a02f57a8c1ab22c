// Receivers are somebody else's servers: each case below is one way a receiver can be broken or
// hostile, with what the receiver got and what onError was told. The figures are logged for the report.
import type { RecipeError } from "@auth-recipes/core";
import {
  events,
  startWebhookReceiver,
  users,
  type WebhookReceiverEmulator,
} from "@auth-recipes/testing";
import { expectNothingPrinted } from "@auth-recipes/testing/printed";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { WebhookDeliveryError } from "../src/index.ts";
import { dispatch, secretsOf } from "./helpers.ts";

let receiver: WebhookReceiverEmulator;
beforeAll(async () => {
  receiver = await startWebhookReceiver();
});
afterAll(() => receiver.close());
afterEach(() => receiver.reset());

const RETRY = { retries: 3, minDelayMs: 20, maxDelayMs: 3_000, jitter: false } as const;

/** The delivery error inside the RecipeError, checked safe to print in every way apps log. */
function causeOf(error: RecipeError | undefined): WebhookDeliveryError {
  expect(error).toBeDefined();
  expectNothingPrinted(error, [...secretsOf(receiver), users.alice.email!]);
  expect(error!.message).not.toMatch(/:\d+\/webhook|token=|hooks:/);
  return error!.cause as WebhookDeliveryError;
}

function ids(): (string | undefined)[] {
  return receiver.deliveries.map((delivery) => delivery.id);
}

describe("hostile and broken receivers", () => {
  it("a redirect: not followed, not retried, reported as a 3xx", async () => {
    receiver.respond({ redirect: true, status: 307 }, Infinity);
    const { errors, report } = await dispatch(receiver, "createUser", events.createUser(), {
      retry: RETRY,
    });
    expect(receiver.requests.map((request) => request.path)).toEqual([
      "/webhook?token=query-token-7c6b5a",
    ]);
    expect(report.results[0]).toMatchObject({ status: "rejected", attempts: 1 });
    const cause = causeOf(errors[0]);
    expect(cause).toMatchObject({ name: "WebhookDeliveryError", status: 307, retryable: false });
    expect(cause.message).toMatch(/answered 307, a redirect, which is not followed/);
    expect(cause.message).toContain(receiver.url);
  });

  it("a 50 MB body streamed with a 200: the body is not read, the delivery succeeds at once", async () => {
    const bytes = 50 * 1024 * 1024;
    receiver.respond({ stream: true, bytes, status: 200 });
    const { errors, report, durationMs } = await dispatch(
      receiver,
      "createUser",
      events.createUser(),
    );
    expect(errors).toEqual([]);
    expect(report.results[0]?.status).toBe("fulfilled");
    const delivery = receiver.deliveries[0]!;
    await expect.poll(() => delivery.streamEndedAt, { timeout: 5_000 }).toBeDefined();
    console.info(
      `50 MB streaming receiver: dispatch settled in ${Math.round(durationMs)} ms; the stream ended after ${delivery.streamedBytes} bytes (${((delivery.streamedBytes / bytes) * 100).toFixed(2)}%), ${delivery.streamEndedAt! - delivery.receivedAt} ms after the request arrived`,
    );
    // What the kernel's socket buffers on loopback take before the stream is cancelled (about 4 MB
    // here): far below the 50 MB offered.
    expect(delivery.streamedBytes).toBeLessThan(8 * 1024 * 1024);
    expect(durationMs).toBeLessThan(1_000);
  });

  it("a 50 MB body streamed with a 500: reported as retryable at once, the body unread", async () => {
    const bytes = 50 * 1024 * 1024;
    receiver.respond({ stream: true, bytes, status: 500 });
    const { errors, durationMs } = await dispatch(receiver, "createUser", events.createUser());
    expect(causeOf(errors[0])).toMatchObject({ status: 500, retryable: true });
    const delivery = receiver.deliveries[0]!;
    await expect.poll(() => delivery.streamEndedAt, { timeout: 5_000 }).toBeDefined();
    expect(delivery.streamedBytes).toBeLessThan(8 * 1024 * 1024);
    expect(durationMs).toBeLessThan(1_000);
  });

  it("a hang: the attempt's signal ends the request at the timeout, reported as a timeout", async () => {
    receiver.respond({ hang: true }, Infinity);
    const { errors, report, durationMs } = await dispatch(
      receiver,
      "createUser",
      events.createUser(),
      { timeoutMs: 300 },
    );
    expect(receiver.deliveries.map((delivery) => delivery.answer)).toEqual(["hang"]);
    expect(report.results[0]).toMatchObject({ status: "rejected", attempts: 1 });
    expect(errors[0]).toMatchObject({ timedOut: true });
    expectNothingPrinted(errors[0], secretsOf(receiver));
    expect(durationMs).toBeGreaterThanOrEqual(290);
    expect(durationMs).toBeLessThan(1_000);
    // The request was aborted, not left open: the receiver saw its connection close.
    await expect.poll(() => receiver.requests.length).toBe(1);
  });

  it.each([400, 401, 404, 410, 422])("a %i: not retried", async (status) => {
    receiver.respond({ status, body: { error: `nope ${users.alice.email}` } }, Infinity);
    const { errors, report } = await dispatch(receiver, "signIn", events.signInOAuth(), {
      retry: RETRY,
    });
    expect(receiver.deliveries).toHaveLength(1);
    expect(report.results[0]).toMatchObject({ status: "rejected", attempts: 1 });
    expect(causeOf(errors[0])).toMatchObject({ status, retryable: false });
  });

  it("a 429 with Retry-After: retried after it, with the same webhook-id and body", async () => {
    receiver.respond({ status: 429, headers: { "retry-after": "1" } });
    const { errors, report } = await dispatch(receiver, "createUser", events.createUser(), {
      retry: RETRY,
    });
    expect(errors).toEqual([]);
    expect(report.results[0]).toMatchObject({ status: "fulfilled", attempts: 2 });
    const [first, second] = receiver.deliveries;
    expect([first?.answer, second?.answer]).toEqual([429, 204]);
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(950);
    expect(second?.id).toBe(first?.id);
    expect(second?.body).toBe(first?.body);
    expect(receiver.accepted()).toHaveLength(1);
  });

  it("a 429 with Retry-After, every time: onError gets retryAfterMs", async () => {
    receiver.respond({ status: 429, headers: { "retry-after": "2" } }, Infinity);
    const { errors } = await dispatch(receiver, "createUser", events.createUser());
    expect(causeOf(errors[0])).toMatchObject({ status: 429, retryable: true, retryAfterMs: 2_000 });
  });

  it.each([408, 500, 502, 503])("a %i: retried, delivered once", async (status) => {
    receiver.respond({ status }, 2);
    const { errors, report } = await dispatch(receiver, "linkAccount", events.linkAccount(), {
      retry: RETRY,
    });
    expect(errors).toEqual([]);
    expect(report.results[0]).toMatchObject({ status: "fulfilled", attempts: 3 });
    expect(receiver.deliveries.map((delivery) => delivery.answer)).toEqual([status, status, 204]);
    expect(new Set(ids()).size).toBe(1);
    expect(receiver.accepted()).toHaveLength(1);
  });

  it("a 5xx every time: onError once, retryable, after every attempt", async () => {
    receiver.respond({ status: 503, body: `boom ${receiver.secret}` }, Infinity);
    const { errors, report } = await dispatch(receiver, "createUser", events.createUser(), {
      retry: RETRY,
    });
    expect(report.results[0]).toMatchObject({ status: "rejected", attempts: 4 });
    expect(errors).toHaveLength(1);
    expect(causeOf(errors[0])).toMatchObject({ status: 503, retryable: true });
  });

  it("a connection dropped after the request arrived: a retryable network error, retried once", async () => {
    receiver.respond({ drop: true });
    const { errors, report } = await dispatch(receiver, "createUser", events.createUser(), {
      retry: RETRY,
    });
    expect(errors).toEqual([]);
    expect(report.results[0]).toMatchObject({ status: "fulfilled", attempts: 2 });
    expect(receiver.deliveries.map((delivery) => delivery.answer)).toEqual(["drop", 204]);
    expect(new Set(ids()).size).toBe(1);

    receiver.respond({ drop: true });
    const failed = await dispatch(receiver, "createUser", events.createUser());
    const cause = causeOf(failed.errors[0]);
    expect(cause).toMatchObject({ retryable: true });
    expect(cause.message).toMatch(
      /the request to the receiver at http:\/\/127\.0\.0\.1:\d+ failed/,
    );
  });

  it("a receiver that is down: a retryable ECONNREFUSED, nothing leaked", async () => {
    const gone = await startWebhookReceiver();
    await gone.close();
    const { errors } = await dispatch(gone, "createUser", events.createUser());
    const cause = errors[0]!.cause as WebhookDeliveryError;
    expect(cause).toMatchObject({ retryable: true, code: "ECONNREFUSED" });
    expectNothingPrinted(errors[0], secretsOf(gone));
  });
});
