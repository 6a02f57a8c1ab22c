import { Webhook } from "standardwebhooks";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  EMULATOR_DEFAULTS,
  startWebhookReceiver,
  type WebhookReceiverEmulator,
} from "../src/index.ts";

let receiver: WebhookReceiverEmulator;
beforeAll(async () => {
  receiver = await startWebhookReceiver();
});
afterAll(() => receiver.close());
afterEach(() => receiver.reset());

/** A request signed with the library, as any Standard Webhooks sender makes it. */
function signed(
  body: string,
  { id = "msg_1", secret = receiver.secret, at = new Date() } = {},
): RequestInit {
  const signature = new Webhook(secret).sign(id, at, body);
  return {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "webhook-id": id,
      "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
      "webhook-signature": signature,
    },
    body,
  };
}

const body = JSON.stringify({
  type: "user.created",
  timestamp: "2026-01-01T00:00:00.000Z",
  data: {},
});

describe("startWebhookReceiver", () => {
  it("verifies with the default secret, records every delivery, answers 204 or 400", async () => {
    expect(receiver.secret).toBe(EMULATOR_DEFAULTS.webhookSecret);
    expect((await fetch(receiver.hookUrl, signed(body))).status).toBe(204);
    const wrong = "whsec_MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIz";
    expect(
      (await fetch(receiver.hookUrl, signed(body, { secret: wrong, id: "msg_2" }))).status,
    ).toBe(400);
    const old = new Date(Date.now() - 10 * 60_000);
    expect((await fetch(receiver.hookUrl, signed(body, { at: old, id: "msg_3" }))).status).toBe(
      400,
    );
    expect((await fetch(receiver.hookUrl, { method: "POST", body })).status).toBe(400);
    expect(receiver.deliveries).toMatchObject([
      { id: "msg_1", type: "user.created", signatureValid: true, answer: 204 },
      {
        id: "msg_2",
        signatureValid: false,
        invalidReason: "No matching signature found",
        answer: 400,
      },
      { id: "msg_3", signatureValid: false, invalidReason: "Message timestamp too old" },
      { id: undefined, signatureValid: false, invalidReason: "Missing required headers" },
    ]);
    expect(receiver.accepted().map((delivery) => delivery.id)).toEqual(["msg_1"]);
  });

  it("counts a delivery that arrived twice once in accepted()", async () => {
    await fetch(receiver.hookUrl, signed(body));
    await fetch(receiver.hookUrl, signed(body));
    expect(receiver.deliveries).toHaveLength(2);
    expect(receiver.accepted()).toHaveLength(1);
  });

  it("answers the faults respond() sets, recording each delivery first", async () => {
    receiver.respond({ status: 429, headers: { "retry-after": "3" } });
    const limited = await fetch(receiver.hookUrl, signed(body));
    expect([limited.status, limited.headers.get("retry-after")]).toEqual([429, "3"]);
    receiver.respond({ redirect: true });
    const moved = await fetch(receiver.hookUrl, { ...signed(body), redirect: "manual" });
    expect(moved.status).toBe(302);
    expect(moved.headers.get("location")).toBe(`${receiver.url}/moved`);
    receiver.respond({ drop: true });
    await expect(fetch(receiver.hookUrl, signed(body))).rejects.toThrow();
    expect((await fetch(receiver.hookUrl, signed(body))).status).toBe(204);
    expect(receiver.deliveries.map((delivery) => delivery.answer)).toEqual([429, 302, "drop", 204]);
    expect(receiver.deliveries.every((delivery) => delivery.signatureValid)).toBe(true);
  });

  it("streams a body only as fast as the client reads it, and hangs until reset", async () => {
    receiver.respond({ stream: true, bytes: 50 * 1024 * 1024 });
    const response = await fetch(receiver.hookUrl, signed(body));
    const reader = response.body!.getReader();
    await reader.read();
    await reader.cancel();
    await expect.poll(() => receiver.deliveries[0]?.streamEndedAt).toBeDefined();
    expect(receiver.deliveries[0]!.streamedBytes).toBeLessThan(10 * 1024 * 1024);

    receiver.respond({ hang: true });
    const hung = fetch(receiver.hookUrl, { ...signed(body), signal: AbortSignal.timeout(200) });
    await expect(hung).rejects.toThrow();
    expect(receiver.deliveries[1]?.answer).toBe("hang");
  });

  it("refuses a malformed secret", async () => {
    await expect(startWebhookReceiver({ secret: "not base64!" })).rejects.toThrow(
      /option "secret" must be a "whsec_…" secret/,
    );
  });
});
