import { composeEvents, type Recipe, type RecipeError } from "@auth-recipes/core";
import { UpstreamError } from "@auth-recipes/core/kit";
import { dispatchEvent, type SmtpEmulator, startSmtpServer } from "@auth-recipes/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  type EmailMessage,
  type EmailSendOptions,
  type EmailTransport,
  WelcomeEmailError,
  welcomeEmail,
} from "../src/index.ts";

const alice = { id: "u1", name: "Alice", email: "alice@example.test" };
const from = "Acme <hello@acme.test>";

/** A transport that records what it was handed, and answers with `answer`. */
function recording(answer: (sent: number) => Promise<unknown> | unknown = () => ({ id: "e1" })) {
  const sent: Array<{ email: EmailMessage; options: EmailSendOptions }> = [];
  const transport: EmailTransport = {
    name: "recording",
    react: true,
    async sendEmail(email, options) {
      sent.push({ email, options });
      return (await answer(sent.length)) as never;
    },
  };
  return { transport, sent };
}

async function run(recipe: Recipe, user: Record<string, unknown> = alice, retry = false) {
  return dispatchEvent([recipe], "createUser", { user } as never, {
    retry: retry ? { retries: 2, minDelayMs: 0, maxDelayMs: 5_000, jitter: false } : false,
  });
}

describe("welcomeEmail over an EmailTransport", () => {
  it("hands the transport one email, an idempotency key, the attempt's signal and deadline", async () => {
    const { transport, sent } = recording();
    const before = Date.now();
    const { report, errors } = await run(welcomeEmail({ transport, from, appName: "Acme" }));
    expect(errors).toEqual([]);
    expect(report.results[0]).toMatchObject({ status: "fulfilled", attempts: 1 });
    expect(sent).toHaveLength(1);
    const [{ email, options }] = sent as [(typeof sent)[0]];
    expect(email).toMatchObject({ from, to: alice.email, subject: "Welcome to Acme" });
    expect(email.text).toContain("Hi Alice,");
    expect(options.idempotencyKey).toBe("welcome-email/welcome-email/u1");
    expect(options.signal).toBeInstanceOf(AbortSignal);
    expect(options.deadline).toBeGreaterThanOrEqual(before + 10_000);
  });

  it("derives the key from the composed recipe name: a renamed copy has keys of its own", async () => {
    const { transport, sent } = recording();
    const recipe = welcomeEmail({ transport, from });
    await run({ ...recipe, name: "tips/day-3" });
    expect(sent[0]?.options.idempotencyKey).toBe("welcome-email/tips%2Fday-3/u1");
  });

  it("encodes the user id, bounds the key's length, and falls back to the dispatch without an id", async () => {
    const { transport, sent } = recording();
    const recipe = welcomeEmail({ transport, from });
    await run(recipe, { ...alice, id: "a/b c" });
    await run(recipe, { ...alice, id: "x".repeat(256) });
    await run(recipe, { ...alice, id: 42 });
    const { report } = await run(recipe, { email: alice.email });
    const keys = sent.map((s) => s.options.idempotencyKey);
    expect(keys[0]).toBe("welcome-email/welcome-email/a%2Fb%20c");
    expect(keys[1]).toMatch(/^welcome-email-sha256\/[0-9a-f]{64}$/);
    expect(keys[2]).toBe("welcome-email/welcome-email/42");
    expect(keys[3]).toBe(`welcome-email/welcome-email/dispatch/${report.dispatchId}`);
    for (const key of keys) expect(key.length).toBeLessThanOrEqual(256);
  });

  it("keeps the key across retries, and honours an UpstreamError's classification", async () => {
    const { transport, sent } = recording((n) => {
      if (n === 1) {
        throw new UpstreamError("x", "rate limited", { retryable: true, retryAfterMs: 50 });
      }
      return { id: "e1" };
    });
    const started = performance.now();
    const { report, errors } = await run(welcomeEmail({ transport, from }), alice, true);
    expect(errors).toEqual([]);
    expect(report.results[0]).toMatchObject({ status: "fulfilled", attempts: 2 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    expect(new Set(sent.map((s) => s.options.idempotencyKey)).size).toBe(1);
  });

  it("does not retry an UpstreamError marked not retryable, and reports it as it was", async () => {
    const { transport, sent } = recording(() => {
      throw new UpstreamError("x", "refused", { retryable: false, status: 422 });
    });
    const { errors } = await run(welcomeEmail({ transport, from }), alice, true);
    expect(sent).toHaveLength(1);
    expect(errors[0]?.cause).toBeInstanceOf(UpstreamError);
    expect((errors[0]!.cause as Error).message).toBe("[auth-recipes/x] refused");
  });

  it("wraps anything else a transport throws, redacted", async () => {
    const { transport } = recording(() => {
      throw new Error(`no mailbox for ${alice.email}`);
    });
    const { errors } = await run(welcomeEmail({ transport, from }));
    const cause = errors[0]?.cause as WelcomeEmailError;
    expect(cause).toBeInstanceOf(WelcomeEmailError);
    expect(cause.retryable).toBe(false);
    expect(cause.message).not.toContain(alice.email);
  });

  it("passes react content to a transport that renders it, text optional", async () => {
    const { transport, sent } = recording();
    const element = { type: "Welcome", props: {} };
    const { errors } = await run(
      welcomeEmail({ transport, from, render: () => ({ react: element }) }),
    );
    expect(errors).toEqual([]);
    expect(sent[0]?.email.react).toBe(element);
    expect(sent[0]?.email.text).toBeUndefined();
  });

  it("refuses content with neither text nor react, not retried", async () => {
    const { transport, sent } = recording();
    const { errors } = await run(
      welcomeEmail({ transport, from, render: () => ({ html: "<p>x</p>" }) as never }),
      alice,
      true,
    );
    expect(sent).toHaveLength(0);
    expect(errors[0]?.attempts).toBe(1);
    expect(errors[0]?.cause).toBeInstanceOf(TypeError);
  });
});

describe("welcomeEmail's transport option", () => {
  it("still hands a nodemailer transport plugin (send(mail, callback)) to nodemailer", async () => {
    const received: Array<{ to: unknown; subject: unknown }> = [];
    const plugin = {
      name: "plugin",
      version: "1.0.0",
      send(
        mail: { data: { to: unknown; subject: unknown } },
        callback: (e: null, info: object) => void,
      ) {
        received.push({ to: mail.data.to, subject: mail.data.subject });
        callback(null, { messageId: "<m@plugin>" });
      },
    };
    const { errors } = await run(
      welcomeEmail({ transport: plugin as never, from, appName: "Acme" }),
    );
    expect(errors).toEqual([]);
    expect(received).toEqual([{ to: alice.email, subject: "Welcome to Acme" }]);
  });

  it("refuses an EmailTransport without a name, at construction", () => {
    expect(() => welcomeEmail({ transport: { sendEmail: async () => {} } as never, from })).toThrow(
      new TypeError(
        '[auth-recipes/welcome-email] option "transport" is an EmailTransport without a "name"',
      ),
    );
  });
});

describe("welcomeEmail over SMTP with react content", () => {
  let smtp: SmtpEmulator;
  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterAll(() => smtp.close());
  beforeEach(() => smtp.reset());

  it("sends nothing and reports a non-retryable error that says what to do", async () => {
    const errors: RecipeError[] = [];
    const events = composeEvents(
      [
        welcomeEmail({
          transport: smtp.smtpUrl,
          from,
          render: () => ({ react: { type: "Welcome" }, text: "hi" }),
        }),
      ],
      { onError: (error) => errors.push(error), retry: { retries: 2, minDelayMs: 0 } },
    );
    await events.createUser!({ user: alice } as never);
    expect(smtp.requests).toHaveLength(0);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.attempts).toBe(1);
    expect(errors[0]?.cause).toBeInstanceOf(TypeError);
    expect((errors[0]!.cause as Error).message).toMatch(
      /render returned react, which the smtp transport cannot send/,
    );
  });
});
