import type { RecipeError } from "@auth-recipes/core";
import { type StripeEmulator, startStripeApi, users } from "@auth-recipes/testing";
import { expectNothingPrinted } from "@auth-recipes/testing/printed";
import type Stripe from "stripe";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { stripeCustomer } from "../src/index.ts";
import { dispatch, stripeClient } from "./helpers.ts";

// What reaches onError, printed the four ways users print it, for each way Stripe fails: no printer may
// show the user's email address or the secret key.

const KEY = "sk_test_51SafeToLogSecretKey";
let emulator: StripeEmulator;
beforeAll(async () => {
  emulator = await startStripeApi({ apiKey: KEY });
});
beforeEach(async () => {
  await emulator.up();
  emulator.reset();
});
afterAll(() => emulator.close());

const user = { ...users.alice, id: "user_victim", email: "victim@example.com" };
const secrets = [user.email, KEY, "victim"];

async function failure(stripe: Stripe = stripeClient(emulator)): Promise<RecipeError> {
  const { errors } = await dispatch(stripeCustomer({ stripe }), "createUser", { user });
  expect(errors).toHaveLength(1);
  return errors[0]!;
}

describe("stripeCustomer: the error onError gets is safe to log", () => {
  it("a 400 that echoes the email (Invalid email address: …)", async () => {
    emulator.fail({
      status: 400,
      body: {
        error: {
          type: "invalid_request_error",
          code: "email_invalid",
          param: "email",
          message: `Invalid email address: ${user.email}`,
        },
      },
    });
    const error = await failure();
    expect(error.cause).toMatchObject({ statusCode: 400, code: "email_invalid" });
    expectNothingPrinted(error, secrets);
  });

  it("a 500 whose raw body echoes the email and the key", async () => {
    emulator.fail({ status: 500, body: `upstream failed for ${user.email} with key ${KEY}` });
    const error = await failure();
    expect(error.cause).toMatchObject({ retryable: true });
    expectNothingPrinted(error, secrets);
  });

  it("a wrong key (401), which Stripe quotes masked", async () => {
    const wrong = "sk_test_51WrongKeyForTheLogTest";
    const error = await failure(stripeClient(emulator, wrong));
    expect(error.cause).toMatchObject({ statusCode: 401, retryable: false });
    expectNothingPrinted(error, [...secrets, wrong]);
  });

  it("connection refused", async () => {
    await emulator.down();
    const error = await failure();
    expect(error.cause).toMatchObject({ retryable: true });
    expectNothingPrinted(error, secrets);
  });

  it("a key with no key shape, echoed plain, URL-encoded and base64-encoded by a hostile endpoint", async () => {
    // A proxy's key, say: only the recipe knows it is its credential, from the client it was given.
    const plain = "plainproxykey/0123+x";
    const proxied = await startStripeApi({ apiKey: plain });
    try {
      proxied.fail({
        status: 400,
        body: {
          error: {
            type: "invalid_request_error",
            message: `bad key ${plain} (${encodeURIComponent(plain)}, ${btoa(`${plain}:`)})`,
          },
        },
      });
      const error = await failure(stripeClient(proxied, plain));
      expect(error.cause).toMatchObject({ statusCode: 400 });
      expect(error.cause.message).toContain("bad key");
      expectNothingPrinted(error, [
        ...secrets,
        plain,
        encodeURIComponent(plain),
        btoa(`${plain}:`),
      ]);
    } finally {
      await proxied.close();
    }
  });
});
