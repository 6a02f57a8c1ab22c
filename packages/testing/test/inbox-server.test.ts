import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Emulators,
  emulatorEnvironment,
  type InboxServer,
  serveInbox,
  startEmulators,
} from "../src/index.ts";

let emulators: Emulators;
let inbox: InboxServer;
beforeAll(async () => {
  emulators = await startEmulators();
  inbox = await serveInbox(emulators);
});
afterAll(async () => {
  await inbox.close();
  await emulators.close();
});

describe("serveInbox and emulatorEnvironment", () => {
  it("point an app at the emulators, and show and clear what they received", async () => {
    const env = emulatorEnvironment(emulators, inbox.url);
    expect(env.AUTH_RECIPES_INBOX_URL).toBe(inbox.url);
    expect(env.STRIPE_PORT).toBe(String(emulators.stripe.port));
    expect(emulatorEnvironment(emulators).AUTH_RECIPES_INBOX_URL).toBeUndefined();

    // Mail sent through the URL an app would read from EMAIL_SERVER shows in the inbox.
    const transport = nodemailer.createTransport(env.EMAIL_SERVER);
    await transport.sendMail({
      from: "a@example.test",
      to: "b@example.test",
      subject: "hi",
      text: "x",
    });
    transport.close();
    const seen = (await (await fetch(inbox.url)).json()) as {
      smtp: { messages: Array<{ subject: string }> };
    };
    expect(seen.smtp.messages.map((m) => m.subject)).toEqual(["hi"]);

    expect((await fetch(inbox.url, { method: "DELETE" })).status).toBe(200);
    const cleared = (await (await fetch(inbox.url)).json()) as { smtp: { messages: unknown[] } };
    expect(cleared.smtp.messages).toEqual([]);
    expect((await fetch(inbox.url.replace("/_inbox", "/other"))).status).toBe(404);
    expect((await fetch(inbox.url, { method: "POST" })).status).toBe(405);
  });

  it("listens on loopback only, by default", () => {
    expect(new URL(inbox.url).hostname).toBe("127.0.0.1");
  });
});
