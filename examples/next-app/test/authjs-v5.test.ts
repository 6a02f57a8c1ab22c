// The app's composed events under Auth.js v5: @auth/core's Auth() driven with real Requests through an
// email sign-up, sign-out and sign-in again, with its own in-memory database and the emulators. The same
// `appEvents()` object that the Next.js app hands next-auth v4.
import { Auth, type AuthConfig } from "@auth/core";
import Nodemailer from "@auth/core/providers/nodemailer";
import { type Emulators, emulatorEnvironment, startEmulators } from "@auth-recipes/testing";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { appAdapter } from "../src/db/adapter.ts";
import { type AppDatabase, openDatabase } from "../src/db/database.ts";
import { appEvents, stripeCustomerIdOf } from "../src/events.ts";
import { closeServices, createServices, type Services } from "../src/lib/services.ts";

// Auth() never listens: this origin only names the app in URLs and cookies.
const ORIGIN = "http://127.0.0.1:3999";
const EMAIL = "v5-user@example.test";

let emulators: Emulators;
let services: Services;
let db: AppDatabase;
let config: AuthConfig;

beforeAll(async () => {
  emulators = await startEmulators();
  // The app's own variables, as the emulators' bin prints them; no inbox here.
  services = createServices(emulatorEnvironment(emulators));
  db = openDatabase(":memory:");
  config = {
    basePath: "/auth",
    secret: "a-secret-for-the-v5-test-only-on-loopback",
    trustHost: true,
    adapter: appAdapter(db),
    session: { strategy: "database" },
    providers: [Nodemailer({ server: services.smtp.server, from: services.smtp.from })],
    events: appEvents({ services, db, timeoutMs: 3_000 }),
  };
});

afterAll(async () => {
  if (services) await closeServices(services);
  await emulators?.close();
});

/** A browser's cookie jar, enough for one origin. */
class Jar {
  #cookies = new Map<string, string>();
  store(response: Response): void {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ""] = cookie.split(";");
      const at = pair.indexOf("=");
      const name = pair.slice(0, at);
      const value = pair.slice(at + 1);
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(cookie)) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
  has(prefix: string): boolean {
    return [...this.#cookies.keys()].some((name) => name.includes(prefix));
  }
}

async function request(jar: Jar, path: string, form?: Record<string, string>): Promise<Response> {
  const url = path.startsWith("http") ? path : `${ORIGIN}${path}`;
  const headers = new Headers({ cookie: jar.header() });
  let body: URLSearchParams | undefined;
  if (form) {
    headers.set("content-type", "application/x-www-form-urlencoded");
    body = new URLSearchParams(form);
  }
  const response = await Auth(
    new Request(url, { method: form ? "POST" : "GET", headers, body }),
    config,
  );
  jar.store(response);
  return response;
}

async function csrfToken(jar: Jar): Promise<string> {
  const response = await request(jar, "/auth/csrf");
  return ((await response.json()) as { csrfToken: string }).csrfToken;
}

const LINK = /http:\/\/127\.0\.0\.1:3999\/auth\/callback\/nodemailer\?\S+/;

function links(): string[] {
  return emulators.smtp.messages
    .filter((mail) => mail.envelope.to.includes(EMAIL))
    .map((mail) => LINK.exec(mail.text)?.[0])
    .filter((link): link is string => link !== undefined);
}

/** Asks for a link and opens it, as a browser would; returns the callback's response. */
async function signIn(jar: Jar): Promise<Response> {
  const known = links().length;
  const asked = await request(jar, "/auth/signin/nodemailer", {
    email: EMAIL,
    csrfToken: await csrfToken(jar),
    callbackUrl: `${ORIGIN}/account`,
  });
  expect(asked.status).toBe(302);
  expect(asked.headers.get("location")).toContain("/auth/verify-request");
  const link = links()[known];
  expect(link, "a new sign-in link at the SMTP emulator").toBeDefined();
  return request(jar, link!);
}

function welcomeEmails() {
  return emulators.smtp.messages.filter(
    (mail) => mail.envelope.to.includes(EMAIL) && !LINK.test(mail.text),
  );
}

function tracked(userId: string, event: string) {
  return emulators.segment.messages.filter(
    (message) => message.userId === userId && message.type === "track" && message.event === event,
  );
}

describe("the app's composed events under Auth.js v5 (@auth/core Auth())", () => {
  const jar = new Jar();
  let userId: string;

  test("an email sign-up runs every recipe once", async () => {
    const response = await signIn(jar);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`${ORIGIN}/account`);
    expect(jar.has("session-token")).toBe(true);

    const session = await request(jar, "/auth/session");
    const user = ((await session.json()) as { user?: { email?: string } }).user;
    expect(user?.email).toBe(EMAIL);

    const row = await config.adapter!.getUserByEmail!(EMAIL);
    expect(row).toBeTruthy();
    userId = row!.id;

    expect(welcomeEmails()).toHaveLength(1);
    expect(emulators.slack.messages).toHaveLength(1);
    expect(emulators.stripe.customers).toHaveLength(1);
    const customer = emulators.stripe.customers[0]!;
    expect(customer.metadata.userId).toBe(userId);
    expect(stripeCustomerIdOf(db, userId)).toBe(customer.id);
    expect(
      emulators.segment.messages
        .filter((message) => message.userId === userId)
        .map((m) => m.event ?? m.type),
    ).toEqual(["identify", "Signed Up", "Signed In"]);
    expect(
      emulators.webhook.deliveries.map((delivery) => [delivery.type, delivery.signatureValid]),
    ).toEqual([
      ["user.created", true],
      ["user.signed_in", true],
    ]);
  });

  test("signing out sends Signed Out", async () => {
    const response = await request(jar, "/auth/signout", { csrfToken: await csrfToken(jar) });
    expect(response.status).toBe(302);
    expect(jar.has("session-token")).toBe(false);
    expect(tracked(userId, "Signed Out")).toHaveLength(1);
  });

  test("signing in again sends no second welcome email and creates no second customer", async () => {
    const response = await signIn(jar);
    expect(response.headers.get("location")).toBe(`${ORIGIN}/account`);
    expect(welcomeEmails()).toHaveLength(1);
    expect(emulators.stripe.customers).toHaveLength(1);
    expect(emulators.slack.messages).toHaveLength(1);
    expect(tracked(userId, "Signed In")).toHaveLength(2);
    expect(tracked(userId, "Signed Up")).toHaveLength(1);
  });
});
