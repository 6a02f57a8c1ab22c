// The example's Resend option: with EMAIL_TRANSPORT=resend the welcome email goes to the Resend emulator
// (once per user, whatever the retries), the magic links stay on SMTP, and the deliveries page lists it.
import {
  type Emulators,
  emulatorEnvironment,
  type InboxServer,
  serveInbox,
  startEmulators,
} from "@auth-recipes/testing";
import { afterAll, beforeAll, expect, test } from "vitest";
import { type AppDatabase, openDatabase } from "../src/db/database.ts";
import { appEvents } from "../src/events.ts";
import { readDeliveries } from "../src/lib/inbox.ts";
import { closeServices, createServices, type Services } from "../src/lib/services.ts";

let emulators: Emulators;
let inbox: InboxServer;
let services: Services;
let db: AppDatabase;

beforeAll(async () => {
  emulators = await startEmulators();
  inbox = await serveInbox(emulators);
  services = createServices({
    ...emulatorEnvironment(emulators, inbox.url),
    EMAIL_TRANSPORT: "resend",
  });
  db = openDatabase(":memory:");
});

afterAll(async () => {
  if (services) await closeServices(services);
  await inbox?.close();
  await emulators?.close();
});

test("EMAIL_TRANSPORT=resend sends the welcome email through the Resend emulator, once per user", async () => {
  const events = appEvents({ services, db, enabled: new Set(["welcome-email"]) });
  const user = { id: "user_resend", name: "Rita", email: "rita@example.test" };
  await events.createUser!({ user } as never);
  await events.createUser!({ user } as never);
  expect(emulators.resend.emails).toMatchObject([
    { to: ["rita@example.test"], idempotencyKey: "welcome-email/welcome-email/user_resend" },
  ]);
  expect(emulators.smtp.messages).toEqual([]);
  const deliveries = await readDeliveries(services);
  expect(deliveries.emails).toMatchObject([{ via: "resend", to: ["rita@example.test"] }]);
});

test("without EMAIL_TRANSPORT or RESEND_API_KEY, the welcome email stays on SMTP", () => {
  const plain = createServices(emulatorEnvironment(emulators, inbox.url));
  expect(plain.resend).toBeUndefined();
  const keyed = createServices({ RESEND_API_KEY: "re_real_key_for_the_test" });
  expect(keyed.resend?.endpoint).toBe("https://api.resend.com");
  expect(() => createServices({ EMAIL_TRANSPORT: "carrier-pigeon" })).toThrow(TypeError);
  return Promise.all([closeServices(plain), closeServices(keyed)]);
});
