import { composeEvents } from "@auth-recipes/core";
import {
  defaultMessage,
  dispatchEvent,
  events,
  startWebhookReceiver,
  type WebhookReceiverEmulator,
} from "@auth-recipes/testing";
import { expectNothingPrinted } from "@auth-recipes/testing/printed";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type SignedWebhookOptions, signedWebhook } from "../src/index.ts";

const SECRET = "whsec_MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIz";

describe("signedWebhook: configuration", () => {
  const build = (options: Partial<SignedWebhookOptions>) => () =>
    signedWebhook({
      url: "https://hooks.example.test/auth",
      secret: SECRET,
      ...options,
    } as SignedWebhookOptions);

  it("refuses a URL that is not http(s), without quoting it", () => {
    for (const url of [
      "ftp://user:pw-secret@example.test/x",
      "javascript:alert(1)",
      "file:///etc/passwd",
    ]) {
      expect(build({ url })).toThrow(TypeError);
      expect(build({ url })).toThrow(
        /\[auth-recipes\/webhook\] option "url" must be an http: or https: URL/,
      );
    }
    expect(build({ url: "not a url pw-secret" })).toThrow(/option "url" is not a valid URL$/);
    expect(build({ url: undefined })).toThrow(/option "url" is required/);
    expect(build({ url: 42 as never })).toThrow(/option "url" must be a string or a URL/);
    try {
      build({ url: "gopher://pw-secret@example.test" })();
    } catch (error) {
      expect(String(error)).not.toContain("pw-secret");
    }
    expect(build({ url: new URL("http://127.0.0.1:1/hook") })).not.toThrow();
    expect(build({ url: "https://user:%E0%A4%A@hooks.example.test/" })).toThrow(
      /option "url" has credentials that are not valid percent-encoding$/,
    );
  });

  it("refuses a missing or malformed secret, without quoting it", () => {
    expect(build({ secret: undefined })).toThrow(/option "secret" is required/);
    expect(build({ secret: "" })).toThrow(/option "secret" is required/);
    expect(build({ secret: 42 as never })).toThrow(/option "secret" must be a string/);
    for (const secret of ["whsec_not base64!", "whsec_abc", "sk_live_0123456789abcdef0123"]) {
      expect(build({ secret })).toThrow(TypeError);
      expect(build({ secret })).toThrow(
        /must be a Standard Webhooks secret: "whsec_" followed by base64/,
      );
    }
    expect(build({ secret: "whsec_c2hvcnQ=" })).toThrow(RangeError);
    expect(build({ secret: "whsec_c2hvcnQ=" })).toThrow(/is too short/);
    // Without the prefix, as the library accepts it.
    expect(build({ secret: SECRET.slice("whsec_".length) })).not.toThrow();
    for (const secret of ["whsec_not base64!", "whsec_c2hvcnQ="]) {
      try {
        build({ secret })();
      } catch (error) {
        expect(String(error)).not.toContain(secret);
      }
    }
  });

  it("refuses a bad name, an event that is no next-auth event it delivers, and the old option", () => {
    expect(build({ name: "" })).toThrow(/option "name" must be a non-empty string/);
    expect(build({ on: [] })).toThrow(/option "on" must list at least one of createUser, /);
    // The payload's type is not an event name.
    expect(build({ on: ["user.created" as never] })).toThrow(
      '[auth-recipes/webhook] option "on" has an unknown event "user.created"; the events are createUser, updateUser, signIn, signOut, linkAccount',
    );
    expect(build({ on: ["session" as never] })).toThrow(/unknown event "session"/);
    expect(build({ events: ["user.created"] } as never)).toThrow(
      /option "events" is not an option of signedWebhook; the options are url, secret, name, on, timeoutMs, retry/,
    );
  });

  it("handles the five events by default, and only those asked for", () => {
    expect(Object.keys(build({})().events).sort()).toEqual([
      "createUser",
      "linkAccount",
      "signIn",
      "signOut",
      "updateUser",
    ]);
    const some = build({ on: ["createUser", "linkAccount"] })();
    expect(Object.keys(some.events).sort()).toEqual(["createUser", "linkAccount"]);
    expect(some.name).toBe("webhook");
    expect(build({ name: "crm", timeoutMs: 3_000, retry: false })()).toMatchObject({
      name: "crm",
      timeoutMs: 3_000,
      retry: false,
    });
  });
});

describe("signedWebhook: deliveries", () => {
  let receiver: WebhookReceiverEmulator;
  beforeAll(async () => {
    receiver = await startWebhookReceiver();
  });
  afterAll(() => receiver.close());
  afterEach(() => receiver.reset());

  it("gives each delivery its own webhook-id, and several webhooks compose side by side", async () => {
    const options = { url: receiver.hookUrl, secret: receiver.secret };
    const composed = composeEvents([
      signedWebhook({ ...options, name: "zapier" }),
      signedWebhook({ ...options, name: "crm", on: ["createUser"] }),
    ]);
    await composed.createUser!(events.createUser());
    await composed.createUser!(events.createUser());
    await composed.signIn!(events.signInOAuth());
    expect(receiver.deliveries.map((delivery) => delivery.type)).toEqual([
      "user.created",
      "user.created",
      "user.created",
      "user.created",
      "user.signed_in",
    ]);
    expect(receiver.deliveries.every((delivery) => delivery.signatureValid)).toBe(true);
    // Two recipes, two dispatches: four distinct ids for the four createUser deliveries.
    expect(new Set(receiver.deliveries.map((delivery) => delivery.id)).size).toBe(5);
    expect(receiver.accepted()).toHaveLength(5);
  });

  it("keeps the webhook-id of one dispatch, whoever runs it again (a queue worker)", async () => {
    const recipe = signedWebhook({ url: receiver.hookUrl, secret: receiver.secret });
    const context = (attempt: number) => ({
      event: "createUser" as const,
      recipe: "webhook",
      attempt,
      signal: AbortSignal.timeout(2_000),
      deadline: Date.now() + 2_000,
      dispatchId: "dispatch-1",
    });
    await recipe.events.createUser!(events.createUser(), context(1));
    await recipe.events.createUser!(events.createUser(), context(2));
    await recipe.events.createUser!(events.createUser(), {
      ...context(1),
      dispatchId: "dispatch-2",
    });
    const [first, again, other] = receiver.deliveries;
    expect(again?.id).toBe(first?.id);
    expect(other?.id).not.toBe(first?.id);
    expect(receiver.accepted()).toHaveLength(2);
  });

  it("skips an event whose user has no id, and a sign-out that names nobody", async () => {
    const recipe = signedWebhook({ url: receiver.hookUrl, secret: receiver.secret });
    const { report } = await dispatchEvent([recipe], "createUser", { user: { name: "x" } });
    expect(report.results[0]).toMatchObject({ status: "skipped", reason: "no user id to deliver" });
    const out = await dispatchEvent([recipe], "signOut", { session: undefined });
    expect(out.report.results[0]?.status).toBe("skipped");
    expect(receiver.deliveries).toEqual([]);
  });

  it("signs out with the database strategy from the session row's user id", async () => {
    const recipe = signedWebhook({ url: receiver.hookUrl, secret: receiver.secret });
    await dispatchEvent([recipe], "signOut", events.signOutWithSession());
    expect(receiver.deliveries[0]?.payload).toMatchObject({
      type: "user.signed_out",
      data: { user: { id: "user_alice", email: null } },
    });
    expect(receiver.deliveries[0]?.body).not.toContain("fixture-session-token");
  });

  it("bounds what a hostile profile puts in a delivery", async () => {
    const recipe = signedWebhook({ url: receiver.hookUrl, secret: receiver.secret });
    const user = {
      id: "user_big",
      name: "A".repeat(100_000),
      email: `${"e".repeat(1_000)}@example.test`,
      image: `https://example.test/${"i".repeat(10_000)}`,
      emailVerified: new Date(Number.NaN),
    };
    await dispatchEvent([recipe], "createUser", { user });
    const delivery = receiver.deliveries[0]!;
    expect(delivery.signatureValid).toBe(true);
    expect(delivery.body.length).toBeLessThan(1_000);
    expect(delivery.payload).toMatchObject({
      data: { user: { email: null, image: null, emailVerified: null } },
    });
  });

  it("sends a URL's credentials as Basic auth, and its query string as it is", async () => {
    const url = new URL(receiver.hookUrl);
    url.username = "hooks";
    url.password = "p@ss word";
    url.search = "?token=abc";
    url.hash = "#ignored";
    const recipe = signedWebhook({ url, secret: receiver.secret });
    await dispatchEvent([recipe], "createUser", events.createUser());
    const [request] = receiver.requests;
    expect(request?.path).toBe("/webhook?token=abc");
    expect(request?.headers.authorization).toBe(
      `Basic ${Buffer.from("hooks:p@ss word").toString("base64")}`,
    );
    expect(receiver.accepted()).toHaveLength(1);
  });

  it("contains a user whose fields throw when read, and a name of lone surrogates", async () => {
    const recipe = signedWebhook({ url: receiver.hookUrl, secret: receiver.secret });
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error("no reading mallory@example.test");
        },
      },
    );
    const { errors, report } = await dispatchEvent([recipe], "createUser", { user: hostile });
    expect(report.results[0]?.status).toBe("rejected");
    expectNothingPrinted(errors[0], ["mallory@example.test", receiver.secret]);
    expect(receiver.deliveries).toEqual([]);

    await dispatchEvent([recipe], "createUser", {
      user: { id: "user_lone", name: "\ud800x\udfff", email: null },
    });
    expect(receiver.deliveries[0]).toMatchObject({ signatureValid: true });
    expect(receiver.deliveries[0]?.payload).toMatchObject({
      data: { user: { name: "\ufffdx\ufffd" } },
    });
  });

  it("works when called outside composeEvents, with a fresh id", async () => {
    const recipe = signedWebhook({ url: receiver.hookUrl, secret: receiver.secret });
    const handler = recipe.events.updateUser as (message: unknown) => Promise<unknown>;
    await handler(defaultMessage("updateUser"));
    expect(receiver.accepted()).toHaveLength(1);
  });
});
