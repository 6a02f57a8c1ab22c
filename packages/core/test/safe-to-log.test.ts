// The README shows `onError: (error) => logger.warn(error)`. These tests print a RecipeError the ways
// users do, for the failure shapes the recipes' SDKs produce, and look for the user's email address and
// the credentials in what was printed.
import { Console } from "node:console";
import { Writable } from "node:stream";
import { inspect } from "node:util";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { composeEvents, isRetryable, type RecipeError } from "../src/index.ts";
import { UpstreamError } from "../src/kit/index.ts";

const EMAIL = "victim@example.com";
const PASSWORD = "hunter2-smtp";
const WRITE_KEY = "wk9f8e7d6c5b4a3";
const AUTH_PLAIN = btoa(`\0${EMAIL}\0${PASSWORD}`);
// Anything of these in a printed error is a leak.
const LEAKS = [
  /victim/i,
  /example\.com/,
  /hunter2/,
  /sk_test_/,
  /xoxb-/,
  new RegExp(WRITE_KEY),
  new RegExp(AUTH_PLAIN.slice(0, 12)),
  /%40/,
];

// The failure shapes the recipes meet, as their SDKs throw them (fields and messages as seen).
function failures(): Array<[string, () => unknown]> {
  return [
    [
      "Stripe: invalid email, the SDK's error with its raw response and request headers",
      () =>
        Object.assign(new Error(`Invalid email address: ${EMAIL}`), {
          type: "StripeInvalidRequestError",
          statusCode: 400,
          code: "email_invalid",
          raw: { message: `Invalid email address: ${EMAIL}`, param: "email" },
          headers: { authorization: "Bearer sk_test_51Secret" },
          requestId: "req_123",
        }),
    ],
    [
      "Slack: a platform error with its data and the request config",
      () =>
        Object.assign(new Error("An API error occurred: invalid_auth"), {
          code: "slack_webapi_platform_error",
          data: { ok: false, error: "invalid_auth", user: EMAIL },
          config: { headers: { Authorization: "Bearer xoxb-123-456" } },
        }),
    ],
    [
      "nodemailer: a rejected recipient, the SMTP reply quoting the address",
      () =>
        Object.assign(
          new Error(
            `Can't send mail - all recipients were rejected: 550 5.1.1 <${EMAIL}>: Recipient address rejected`,
          ),
          {
            code: "EENVELOPE",
            responseCode: 550,
            command: "RCPT TO",
            rejected: [EMAIL],
            response: `550 <${EMAIL}>`,
          },
        ),
    ],
    [
      "nodemailer: authentication failed, the server echoing AUTH PLAIN",
      () =>
        Object.assign(new Error(`Invalid login: 535 5.7.8 AUTH PLAIN ${AUTH_PLAIN} rejected`), {
          code: "EAUTH",
          responseCode: 535,
        }),
    ],
    [
      // The write key in a reason phrase is the recipe's to remove (UpstreamError's `secrets`, below):
      // core cannot know it.
      "Segment: a 401 with the batch body and its traits",
      () =>
        Object.assign(new Error("401 Unauthorized"), {
          status: 401,
          body: { batch: [{ traits: { email: EMAIL } }] },
        }),
    ],
    [
      "fetch: a network error whose cause echoes a URL with credentials and an encoded email",
      () =>
        new TypeError("fetch failed", {
          cause: Object.assign(
            new Error(
              `connect ECONNREFUSED https://user:${PASSWORD}@api.example.com/v1?email=victim%40example.com`,
            ),
            { code: "ECONNREFUSED" },
          ),
        }),
    ],
    [
      "a recipe's UpstreamError that keeps the SDK error",
      () =>
        new UpstreamError("segment", `delivery failed: 401 ${WRITE_KEY} for ${EMAIL}`, {
          status: 401,
          retryable: false,
          secrets: [WRITE_KEY],
          cause: Object.assign(new Error(`bad key ${WRITE_KEY}`), { body: { email: EMAIL } }),
        }),
    ],
    ["a thrown string with the email", () => `could not add ${EMAIL}`],
  ];
}

async function failWith(make: () => unknown): Promise<RecipeError> {
  const errors: RecipeError[] = [];
  const events = composeEvents(
    [
      {
        name: "crm",
        events: {
          createUser: () => {
            throw make();
          },
        },
      },
    ],
    { onError: (error) => errors.push(error) },
  );
  await events.createUser!({ user: { id: "u1", email: EMAIL } });
  expect(errors).toHaveLength(1);
  return errors[0]!;
}

function capture(write: (stream: Writable) => void): Promise<string> {
  let out = "";
  const stream = new Writable({
    write(chunk, _encoding, done) {
      out += String(chunk);
      done();
    },
  });
  write(stream);
  return new Promise((resolve) => setImmediate(() => resolve(out)));
}

const printers: Array<[string, (error: RecipeError) => Promise<string>]> = [
  ["console.error", (error) => capture((stream) => new Console(stream, stream).error(error))],
  ["util.inspect at depth 4", async (error) => inspect(error, { depth: 4 })],
  ["JSON.stringify", async (error) => JSON.stringify(error)],
  [
    "pino's default error serializer",
    async (error) => JSON.stringify(pino.stdSerializers.err(error)),
  ],
  ["pino's logger.warn(error)", (error) => capture((stream) => pino(stream).warn(error))],
];

describe.each(printers)("printed by %s", (_printer, print) => {
  it.each(failures())("%s: no email address or credential", async (_failure, make) => {
    const error = await failWith(make);
    const printed = await print(error);
    expect(printed.length).toBeGreaterThan(10);
    for (const leak of LEAKS) expect(printed).not.toMatch(leak);
  });
});

describe("what a RecipeError keeps", () => {
  it("the thrown value, as it was, non-enumerable", async () => {
    const thrown = failures()[0]![1]();
    const error = await failWith(() => thrown);
    expect(error.unsafeCause).toBe(thrown);
    expect(Object.keys(error)).not.toContain("unsafeCause");
    expect(Object.getOwnPropertyDescriptor(error, "unsafeCause")?.enumerable).toBe(false);
  });

  it("a cause that still says what failed and whether to retry", async () => {
    const stripe = await failWith(failures()[0]![1]);
    expect(stripe.cause).toBeInstanceOf(Error);
    expect(stripe.cause).toMatchObject({
      message: "Invalid email address: [redacted]",
      type: "StripeInvalidRequestError",
      statusCode: 400,
      code: "email_invalid",
    });
    expect(stripe.cause.stack).toMatch(/^Error: Invalid email address: \[redacted\]\n\s+at /);
    expect(stripe.message).toBe(
      'recipe "crm" failed on createUser after 1 attempt: Invalid email address: [redacted]',
    );

    const fetchFailed = await failWith(failures()[5]![1]);
    expect(fetchFailed.cause).toBeInstanceOf(TypeError);
    expect(fetchFailed.cause.cause).toMatchObject({ code: "ECONNREFUSED" });
    expect(isRetryable(fetchFailed.cause)).toBe(true);
    expect(inspect(fetchFailed, { depth: 4 })).toMatch(/ECONNREFUSED/);
  });

  it("an UpstreamError as it was thrown: its message is redacted and its SDK error out of sight", async () => {
    const thrown = failures()[6]![1]() as UpstreamError;
    const error = await failWith(() => thrown);
    expect(error.cause).toBe(thrown);
    expect(thrown.message).toBe(
      "[auth-recipes/segment] delivery failed: 401 [redacted] for [redacted]",
    );
    expect((thrown.unsafeCause as Error).message).toContain(WRITE_KEY);
  });

  it("a cause chain that loops is copied to a bounded depth", async () => {
    const loop = new Error("loop") as Error & { cause?: unknown };
    loop.cause = loop;
    const error = await failWith(() => loop);
    let depth = 0;
    for (let cause: unknown = error.cause; cause; cause = (cause as Error).cause) depth++;
    expect(depth).toBe(4);
  });
});
