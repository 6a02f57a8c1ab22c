import { Resend } from "resend";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { EMULATOR_DEFAULTS, type ResendEmulator, startResendApi } from "../src/index.ts";

let resend: ResendEmulator;
let client: Resend;
beforeAll(async () => {
  resend = await startResendApi();
  client = new Resend(resend.apiKey, resend.clientOptions);
});
afterAll(() => resend.close());
beforeEach(() => resend.reset());

const email = {
  from: "Acme <hello@acme.test>",
  to: "alice@example.test",
  subject: "Welcome",
  text: "Hi Alice",
  html: "<p>Hi Alice</p>",
};

describe("startResendApi, through the resend SDK", () => {
  it("accepts an email, answers its id, and records it", async () => {
    const { data, error } = await client.emails.send({ ...email, replyTo: "help@acme.test" });
    expect(error).toBeNull();
    expect(data?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(resend.emails).toMatchObject([
      {
        id: data?.id,
        from: "Acme <hello@acme.test>",
        to: ["alice@example.test"],
        subject: "Welcome",
        text: "Hi Alice",
        html: "<p>Hi Alice</p>",
        reply_to: ["help@acme.test"],
      },
    ]);
    expect(resend.requests[0]?.headers.authorization).toBe(
      `Bearer ${EMULATOR_DEFAULTS.resendApiKey}`,
    );
  });

  it("checks the key: none is a 401, another a 403", async () => {
    const wrong = await new Resend("re_wrong", resend.clientOptions).emails.send(email);
    expect(wrong.error).toMatchObject({ statusCode: 403, name: "invalid_api_key" });
    const none = await fetch(`${resend.url}/emails`, { method: "POST", body: "{}" });
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ name: "missing_api_key" });
    expect(resend.emails).toEqual([]);
  });

  it("validates as Resend does, with a 422", async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...email, from: undefined }, "missing_required_field"],
      [{ ...email, subject: undefined }, "missing_required_field"],
      [{ ...email, from: "not an address" }, "invalid_from_address"],
      [{ ...email, to: "alice@example.test, bob@example.test" }, "validation_error"],
      [{ ...email, to: ["a@example.test\r\nBcc: evil@example.test"] }, "validation_error"],
      [{ ...email, text: undefined, html: undefined }, "validation_error"],
      [{ ...email, headers: { "X-A": "1\r\nBcc: evil@example.test" } }, "validation_error"],
    ];
    for (const [payload, name] of cases) {
      const { error } = await client.emails.send(payload as never);
      expect(error, name).toMatchObject({ statusCode: 422, name });
    }
    expect(resend.emails).toEqual([]);
  });

  it("answers the same key and body with the first response, and sends once", async () => {
    const first = await client.emails.send(email, { idempotencyKey: "welcome/u1" });
    const again = await client.emails.send({ ...email }, { idempotencyKey: "welcome/u1" });
    expect(again.data?.id).toBe(first.data?.id);
    expect(resend.emails).toHaveLength(1);
    expect(resend.emails[0]?.idempotencyKey).toBe("welcome/u1");
  });

  it("answers the same key with another body with a 409, and a key over 256 characters with a 400", async () => {
    await client.emails.send(email, { idempotencyKey: "welcome/u1" });
    const other = await client.emails.send(
      { ...email, subject: "Another" },
      { idempotencyKey: "welcome/u1" },
    );
    expect(other.error).toMatchObject({ statusCode: 409, name: "invalid_idempotent_request" });
    const long = await client.emails.send(email, { idempotencyKey: "k".repeat(257) });
    expect(long.error).toMatchObject({ statusCode: 400, name: "invalid_idempotency_key" });
    expect(resend.emails).toHaveLength(1);
  });

  it("injects failures in Resend's shape: a 429 carries Retry-After", async () => {
    resend.fail({ status: 429 });
    const limited = await client.emails.send(email);
    expect(limited.error).toMatchObject({ statusCode: 429, name: "rate_limit_exceeded" });
    expect(limited.headers?.["retry-after"]).toBe("1");
    resend.fail({ status: 503, headers: { "retry-after": "7" } });
    const down = await client.emails.send(email);
    expect(down.error).toMatchObject({ statusCode: 503, name: "internal_server_error" });
    expect(down.headers?.["retry-after"]).toBe("7");
    expect(resend.emails).toEqual([]);
  });

  it("drops the answer after storing: the retry with the same key is answered and sends nothing", async () => {
    resend.dropAfterStoring();
    const lost = await client.emails.send(email, { idempotencyKey: "welcome/u2" });
    expect(lost.error).toMatchObject({ statusCode: null });
    expect(resend.emails).toHaveLength(1);
    const retried = await client.emails.send(email, { idempotencyKey: "welcome/u2" });
    expect(retried.data?.id).toBe(resend.emails[0]?.id);
    expect(resend.emails).toHaveLength(1);
  });

  it("hangs until the client's signal aborts it, and stores nothing", async () => {
    resend.hang();
    const { error } = await client.emails.send(email, { signal: AbortSignal.timeout(100) });
    expect(error).toMatchObject({ statusCode: null });
    expect(resend.emails).toEqual([]);
    expect(resend.requests).toHaveLength(1);
  });
});
