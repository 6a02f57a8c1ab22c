import type { RecipeError } from "@auth-recipes/core";
import {
  dispatchEvent,
  events,
  type SmtpEmulator,
  startSmtpServer,
  users,
} from "@auth-recipes/testing";
import { expectNothingPrinted } from "@auth-recipes/testing/printed";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type WelcomeEmailOptions, welcomeEmail } from "../src/index.ts";

// What reaches onError, printed the four ways users print it, for each way sending fails: no printer may
// show the user's email address or the SMTP password (as itself, URL-encoded or inside AUTH PLAIN).

const PASSWORD = "hunter2-SafeToLog";
let smtp: SmtpEmulator;
beforeAll(async () => {
  smtp = await startSmtpServer({ auth: { user: "mailer", pass: PASSWORD } });
});
beforeEach(async () => {
  await smtp.up();
  smtp.reset();
});
afterAll(() => smtp.close());

const user = { ...users.alice, id: "user_victim", name: "Victor", email: "victim@example.com" };
const secrets = [user.email, PASSWORD, "victim", btoa(`\0mailer\0${PASSWORD}`)];
const from = "Acme <hello@acme.test>";

async function failure(options: Partial<WelcomeEmailOptions> = {}): Promise<RecipeError> {
  const { errors } = await dispatchEvent(
    [welcomeEmail({ transport: smtp.smtpUrl, from, ...options })],
    "createUser",
    events.createUser(user),
  );
  expect(errors).toHaveLength(1);
  return errors[0]!;
}

describe("welcomeEmail: the error onError gets is safe to log", () => {
  it("a recipient the server rejects, its reply quoting the address", async () => {
    smtp.fail({
      at: "RCPT",
      status: 550,
      body: `5.1.1 <${user.email}>: Recipient address rejected`,
    });
    const error = await failure();
    expect(error.cause).toMatchObject({ responseCode: 550, retryable: false });
    expectNothingPrinted(error, secrets);
  });

  it("a transient failure at the end of DATA, quoting the address", async () => {
    smtp.fail({ status: 451, body: `4.3.0 try again later for ${user.email}` });
    const error = await failure();
    expect(error.cause).toMatchObject({ responseCode: 451, retryable: true });
    expectNothingPrinted(error, secrets);
  });

  it("a refused login with the password in the URL", async () => {
    const wrong = "wrong-Password-ForLogs";
    const error = await failure({
      transport: smtp.smtpUrl.replace(encodeURIComponent(PASSWORD), encodeURIComponent(wrong)),
    });
    expect(error.cause).toMatchObject({ code: "EAUTH" });
    expectNothingPrinted(error, [...secrets, wrong, btoa(`\0mailer\0${wrong}`)]);
  });

  it("a server that is down", async () => {
    await smtp.down();
    const error = await failure();
    expect(error.cause).toMatchObject({ retryable: true });
    expectNothingPrinted(error, secrets);
  });
});
