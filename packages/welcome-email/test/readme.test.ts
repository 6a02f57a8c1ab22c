import { readFileSync } from "node:fs";
import { composeEvents, type RecipeError } from "@auth-recipes/core";
import { type SmtpEmulator, startSmtpServer } from "@auth-recipes/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { welcomeEmail } from "../src/index.ts";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const source = readFileSync(new URL("../src/welcome-email.ts", import.meta.url), "utf8");

describe("the README", () => {
  let smtp: SmtpEmulator;
  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterAll(() => smtp.close());

  it("lists every option of WelcomeEmailOptions in its table", () => {
    const body = /export interface WelcomeEmailOptions \{([\s\S]*?)\n\}/.exec(source)?.[1] ?? "";
    const options = [...body.matchAll(/^ {2}(\w+)\??:/gm)].map((m) => m[1]);
    expect(options.length).toBeGreaterThan(5);
    const table = [...readme.matchAll(/^\| `(\w+)` +\|/gm)].map((m) => m[1]);
    expect(table).toEqual(options);
  });

  it("shows the default text part as sent", async () => {
    const events = composeEvents([
      welcomeEmail({ transport: smtp.clientOptions, from: "hello@acme.test", appName: "Acme" }),
    ]);
    await events.createUser!({
      user: { id: "user_alice", name: "Alice Liddell", email: "alice@example.test" },
    });
    const shown = /### The default content[\s\S]*?```\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(smtp.messages[0]?.text.trim()).toBe(shown?.trim());
  });

  it("quotes the error message a 550 gives", async () => {
    smtp.reset();
    smtp.fail({ status: 550, body: "5.1.1 <alice@example.test>: no such user" });
    const errors: RecipeError[] = [];
    const events = composeEvents(
      [welcomeEmail({ transport: smtp.clientOptions, from: "hello@acme.test" })],
      { onError: (error) => errors.push(error) },
    );
    await events.createUser!({ user: { id: "u1", email: "alice@example.test" } });
    expect(readme).toContain(`\n${errors[0]?.message}\n`);
  });
});
