import type { ComposeOptions, Recipe, RecipeError } from "@auth-recipes/core";
import { dispatchEvent, type ResendEmulator, startResendApi } from "@auth-recipes/testing";
import { welcomeEmail } from "@auth-recipes/welcome-email";
import { createElement } from "react";
import { Resend } from "resend";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ResendError, resendTransport } from "../src/index.ts";

const API_KEY = "re_transport_test_9d2e";
const alice = { id: "user_alice", name: "Alice", email: "alice@example.test" };
const from = "Acme <hello@acme.test>";
const retry: ComposeOptions["retry"] = {
  retries: 2,
  minDelayMs: 0,
  maxDelayMs: 5_000,
  jitter: false,
};

let resend: ResendEmulator;
beforeAll(async () => {
  resend = await startResendApi({ apiKey: API_KEY });
});
afterAll(() => resend.close());
beforeEach(async () => {
  await resend.up();
  resend.reset();
});

const client = () => new Resend(resend.apiKey, resend.clientOptions);
const recipe = (options: Partial<Parameters<typeof welcomeEmail>[0]> = {}) =>
  welcomeEmail({ transport: resendTransport(client()), from, appName: "Acme", ...options });

async function run(r: Recipe, compose: ComposeOptions = {}, user: object = alice) {
  const { report, errors } = await dispatchEvent([r], "createUser", { user } as never, compose);
  return { result: report.results[0]!, errors: errors as RecipeError[] };
}

describe("resendTransport", () => {
  it("sends the welcome email with the recipe's Idempotency-Key and the Bearer key", async () => {
    const { result } = await run(
      recipe({ from: { name: "Acme, Inc.", address: "hello@acme.test" } }),
    );
    expect(result).toMatchObject({ status: "fulfilled", attempts: 1 });
    expect(resend.emails).toMatchObject([
      {
        from: '"Acme, Inc." <hello@acme.test>',
        to: ["alice@example.test"],
        subject: "Welcome to Acme",
        idempotencyKey: "welcome-email/welcome-email/user_alice",
      },
    ]);
    expect(resend.requests[0]?.headers["idempotency-key"]).toBe(
      "welcome-email/welcome-email/user_alice",
    );
    // No Message-ID: it changes per dispatch, and Resend compares bodies by key.
    expect(resend.emails[0]?.headers).toBeUndefined();
  });

  it("sends one email for two createUser dispatches of the same user; a renamed copy sends its own", async () => {
    const welcome = recipe();
    const first = await run(welcome);
    const second = await run(welcome);
    expect([first.result.status, second.result.status]).toEqual(["fulfilled", "fulfilled"]);
    expect(resend.requests).toHaveLength(2);
    expect(resend.emails).toHaveLength(1);
    await run({ ...welcome, name: "welcome-again" });
    expect(resend.emails.map((email) => email.idempotencyKey)).toEqual([
      "welcome-email/welcome-email/user_alice",
      "welcome-email/welcome-again/user_alice",
    ]);
  });

  it("retries a 429 after its Retry-After, and sends once", async () => {
    resend.fail({ status: 429, headers: { "retry-after": "1" } });
    const { result, errors } = await run(recipe(), { retry });
    expect(errors).toEqual([]);
    expect(result).toMatchObject({ status: "fulfilled", attempts: 2 });
    const [limited, sent] = resend.requests;
    expect(sent!.receivedAt - limited!.receivedAt).toBeGreaterThanOrEqual(950);
    expect(resend.emails).toHaveLength(1);
  });

  it("retries a 5xx and a refused connection, never a 422", async () => {
    resend.fail({ status: 503 });
    expect((await run(recipe(), { retry })).result).toMatchObject({ attempts: 2 });
    resend.reset();

    resend.fail({ status: 422, times: 3 });
    const refused = await run(recipe(), { retry });
    expect(refused.result).toMatchObject({ status: "rejected", attempts: 1 });
    const cause = refused.errors[0]?.cause as ResendError;
    expect(cause).toBeInstanceOf(ResendError);
    expect(cause).toMatchObject({ status: 422, code: "validation_error", retryable: false });
    expect(cause.message).toBe(
      "[auth-recipes/resend] emails.send failed (HTTP 422, validation_error): injected failure",
    );

    await resend.down();
    const down = await run(recipe(), { retry: { ...retry, retries: 1 } });
    expect(down.result).toMatchObject({ status: "rejected", attempts: 2 });
    expect(down.errors[0]?.cause).toMatchObject({ retryable: true });
    expect((down.errors[0]!.cause as ResendError).status).toBeUndefined();
  });

  it("after an answer lost once the email was stored, retries under the same key and sends once", async () => {
    resend.dropAfterStoring();
    const { result, errors } = await run(recipe(), { retry });
    expect(errors).toEqual([]);
    expect(result).toMatchObject({ status: "fulfilled", attempts: 2 });
    expect(resend.requests).toHaveLength(2);
    expect(resend.emails).toHaveLength(1);
  });

  it("reports nothing sent when Resend answers without an email id", async () => {
    resend.fail({ status: 200, body: {} });
    const { result, errors } = await run(recipe());
    expect(result.status).toBe("rejected");
    expect(errors[0]?.cause).toMatchObject({ retryable: true });
    expect((errors[0]!.cause as Error).message).toContain("without an email id");
  });

  it("aborts a hung request at the attempt's timeout", async () => {
    resend.hang();
    const started = performance.now();
    const { result, errors } = await run(recipe({ timeoutMs: 200 }));
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(result.status).toBe("rejected");
    expect(errors[0]?.cause).toMatchObject({ name: "TimeoutError" });
  });

  it("keeps the API key and addresses out of the error, and cuts a huge message", async () => {
    resend.fail({
      status: 400,
      body: {
        statusCode: 400,
        name: "validation_error",
        message: `key ${API_KEY} refused for alice@example.test ${"x".repeat(10_000)}`,
      },
    });
    const { errors } = await run(recipe());
    const message = String(errors[0]?.message);
    expect(message).not.toContain(API_KEY);
    expect(message).not.toContain("alice@example.test");
    expect(message.length).toBeLessThan(600);
  });

  it("classifies a hostile answer that is no Resend error as retryable, not as sent", async () => {
    resend.fail({ status: 502, body: "<html>bad gateway</html>" });
    const { errors } = await run(recipe());
    expect(errors[0]?.cause).toMatchObject({ status: 502, retryable: true });
  });

  it("renders a React Email element through the SDK", async () => {
    const welcome = recipe({
      render: ({ user }) => ({
        react: createElement("p", null, `Hello ${(user as typeof alice).name}`),
        text: "Hello",
      }),
    });
    const { result } = await run(welcome);
    expect(result.status).toBe("fulfilled");
    expect(resend.emails[0]?.html).toContain("Hello Alice");
    expect(resend.emails[0]?.html).toContain("<p");
  });

  it("refuses what is not a Resend client, at construction", () => {
    expect(() => resendTransport({} as never)).toThrow(
      new TypeError(
        "[auth-recipes/resend] resendTransport takes a Resend client: resendTransport(new Resend(apiKey))",
      ),
    );
  });
});
