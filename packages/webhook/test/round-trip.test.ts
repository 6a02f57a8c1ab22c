// Every event type through the real recipe, over a real socket, to a plain Node receiver that uses the
// real verifyWebhook, as docs/guide/receiving-webhooks.md shows it; then what that verifier refuses.
import { createServer, type IncomingMessage, type Server } from "node:http";
import { Readable } from "node:stream";
import type { EventMessages, EventName } from "@auth-recipes/core";
import { composeEvents } from "@auth-recipes/core";
import {
  events,
  startWebhookReceiver,
  users,
  type WebhookReceiverEmulator,
} from "@auth-recipes/testing";
import { Webhook } from "standardwebhooks";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  InvalidWebhookError,
  signedWebhook,
  verifyWebhook,
  WEBHOOK_EVENT_TYPES,
  type WebhookPayload,
  webhookPayloadSchema,
} from "../src/index.ts";

const SECRET = "whsec_cm91bmQtdHJpcCB0ZXN0IHNlY3JldCBrZXkhIQ==";

interface Received {
  headers: Record<string, string>;
  body: string;
  payload?: WebhookPayload;
  refused?: string;
}

/** A Request from Node's incoming message, as the guide's plain-Node receiver makes it. */
function toRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === "string") headers.set(name, value);
  }
  return new Request(`http://${req.headers.host}${req.url}`, {
    method: req.method,
    headers,
    body: Readable.toWeb(req) as ReadableStream<Uint8Array>,
    duplex: "half",
  } as RequestInit);
}

let server: Server;
let url: string;
const received: Received[] = [];

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    // A copy of the raw request, to replay and alter it below.
    const copy = new Readable({ read() {} });
    req.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      copy.push(chunk);
    });
    req.on("end", () => copy.push(null));
    const request = toRequest(
      Object.assign(copy, { headers: req.headers, url: req.url, method: req.method }) as never,
    );
    const entry: Received = {
      headers: Object.fromEntries(request.headers),
      body: "",
    };
    received.push(entry);
    try {
      entry.payload = await verifyWebhook(request, SECRET);
      res.writeHead(204).end();
    } catch (error) {
      entry.refused = (error as InvalidWebhookError).reason;
      res.writeHead(400).end();
    } finally {
      entry.body = Buffer.concat(chunks).toString("utf8");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as { port: number };
  url = `http://127.0.0.1:${address.port}/hooks/auth`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
afterEach(() => {
  received.length = 0;
  vi.useRealTimers();
});

const verified = new Date("2026-01-02T03:04:05.000Z").toISOString();

const cases: Array<{
  event: EventName;
  message: () => unknown;
  expected: Omit<WebhookPayload, "timestamp">;
}> = [
  {
    event: "createUser",
    message: () => events.createUser(users.bob),
    expected: {
      type: "user.created",
      data: {
        user: {
          id: "user_bob",
          email: "bob@example.test",
          name: "Bob Builder",
          image: "https://avatars.example.test/bob.png",
          emailVerified: null,
        },
      },
    },
  },
  {
    event: "updateUser",
    message: () => events.updateUser(),
    expected: {
      type: "user.updated",
      data: {
        user: {
          id: "user_alice",
          email: "alice@example.test",
          name: "Alice Liddell",
          image: null,
          emailVerified: verified,
        },
      },
    },
  },
  {
    event: "signIn",
    message: () => events.signInOAuth(),
    expected: {
      type: "user.signed_in",
      data: {
        user: {
          id: "user_alice",
          email: "alice@example.test",
          name: "Alice Liddell",
          image: null,
          emailVerified: null,
        },
        account: { provider: "github", type: "oauth", providerAccountId: "gh_user_alice" },
        isNewUser: true,
      },
    },
  },
  {
    event: "signOut",
    message: () => events.signOutWithToken(users.bob),
    expected: {
      type: "user.signed_out",
      data: {
        user: {
          id: "user_bob",
          email: "bob@example.test",
          name: "Bob Builder",
          image: "https://avatars.example.test/bob.png",
          emailVerified: null,
        },
      },
    },
  },
  {
    event: "linkAccount",
    message: () => events.linkAccount(),
    expected: {
      type: "account.linked",
      data: {
        user: {
          id: "user_alice",
          email: "alice@example.test",
          name: "Alice Liddell",
          image: null,
          emailVerified: null,
        },
        account: { provider: "github", type: "oauth", providerAccountId: "gh_user_alice" },
      },
    },
  },
];

/** Sends a captured delivery again, as an attacker who recorded it would, optionally altered. */
function resend(entry: Received, change: { body?: string; headers?: Record<string, string> } = {}) {
  return new Request(url, {
    method: "POST",
    headers: { ...entry.headers, ...change.headers },
    body: change.body ?? entry.body,
  });
}

describe("signedWebhook → verifyWebhook", () => {
  it("round-trips every event type, with the payload the docs describe and no token", async () => {
    const composed = composeEvents([signedWebhook({ url, secret: SECRET })], {
      onError: (error) => {
        throw error;
      },
    });
    const before = Date.now();
    for (const { event, message } of cases) {
      await (composed[event] as (message: EventMessages[EventName]) => Promise<void>)(
        message() as never,
      );
    }
    expect(received.map((entry) => entry.refused)).toEqual(cases.map(() => undefined));
    expect(received.map((entry) => entry.payload?.type)).toEqual([...WEBHOOK_EVENT_TYPES]);
    for (const [index, entry] of received.entries()) {
      const { timestamp, ...rest } = entry.payload!;
      expect(rest).toEqual(cases[index]!.expected);
      expect(Date.parse(timestamp)).toBeGreaterThanOrEqual(before - 1000);
      expect(new Date(timestamp).toISOString()).toBe(timestamp);
      expect(entry.body).not.toMatch(/token|gho_|ghr_|jti-/);
      expect(entry.headers).toMatchObject({
        "content-type": "application/json",
        "user-agent": expect.stringContaining("@auth-recipes/webhook"),
        "webhook-id": expect.stringMatching(/^msg_[0-9a-f]{32}$/),
        "webhook-timestamp": expect.stringMatching(/^\d{10}$/),
        "webhook-signature": expect.stringMatching(/^v1,[A-Za-z0-9+/]+=*$/),
      });
      // The library's own verifier agrees, on the bytes as they arrived.
      expect(new Webhook(SECRET).verify(entry.body, entry.headers)).toEqual(entry.payload);
    }
    expect(new Set(received.map((entry) => entry.headers["webhook-id"])).size).toBe(cases.length);
  });

  it("delivers payloads that fit the published JSON Schema's fields", async () => {
    await composeEvents([signedWebhook({ url, secret: SECRET })]).signIn!(events.signInOAuth());
    const payload = received[0]!.payload!;
    const { properties } = webhookPayloadSchema;
    expect(Object.keys(payload).sort()).toEqual([...webhookPayloadSchema.required].sort());
    expect(properties.type.enum).toEqual([...WEBHOOK_EVENT_TYPES]);
    expect(Object.keys(payload.data.user).sort()).toEqual(
      [...properties.data.properties.user.required].sort(),
    );
    expect(Object.keys(payload.data.account!).sort()).toEqual(
      [...properties.data.properties.account.required].sort(),
    );
  });

  describe("refuses what it must", () => {
    async function captured(): Promise<Received> {
      await composeEvents([signedWebhook({ url, secret: SECRET })]).createUser!(
        events.createUser(),
      );
      const entry = received[0]!;
      expect(entry.refused).toBeUndefined();
      return entry;
    }

    async function reason(request: Request, secret = SECRET): Promise<string> {
      try {
        await verifyWebhook(request, secret);
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidWebhookError);
        const message = (error as Error).message;
        expect(message).toMatch(/^\[auth-recipes\/webhook\] /);
        expect(message).not.toContain(secret);
        return (error as InvalidWebhookError).reason;
      }
      throw new Error("expected verifyWebhook to refuse the request");
    }

    it("a captured delivery replayed 6 minutes later (outside the 5-minute tolerance)", async () => {
      const entry = await captured();
      // The same request, unaltered, is accepted within the tolerance (a retry)...
      await expect(verifyWebhook(resend(entry), SECRET)).resolves.toMatchObject({
        type: "user.created",
      });
      vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 6 * 60_000 });
      expect(await reason(resend(entry))).toBe("too-old");
    });

    it("an expired request, signed correctly 10 minutes ago, and one dated in the future", async () => {
      const body = (await captured()).body;
      const id = "msg_0123456789abcdef0123456789abcdef";
      const signedAt = (at: Date) =>
        new Request(url, {
          method: "POST",
          headers: {
            "webhook-id": id,
            "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
            "webhook-signature": new Webhook(SECRET).sign(id, at, body),
          },
          body,
        });
      expect(await reason(signedAt(new Date(Date.now() - 10 * 60_000)))).toBe("too-old");
      expect(await reason(signedAt(new Date(Date.now() + 10 * 60_000)))).toBe("too-new");
      await expect(verifyWebhook(signedAt(new Date()), SECRET)).resolves.toBeDefined();
    });

    it("an altered body, id or timestamp, a wrong secret, missing headers, a huge body", async () => {
      const entry = await captured();
      const altered = entry.body.replace("user_alice", "user_mallory");
      expect(altered).not.toBe(entry.body);
      expect(await reason(resend(entry, { body: altered }))).toBe("bad-signature");
      expect(await reason(resend(entry, { headers: { "webhook-id": "msg_other" } }))).toBe(
        "bad-signature",
      );
      const stamp = String(Number(entry.headers["webhook-timestamp"]) - 1);
      expect(await reason(resend(entry, { headers: { "webhook-timestamp": stamp } }))).toBe(
        "bad-signature",
      );
      expect(await reason(resend(entry), "whsec_b3RoZXIgc2VjcmV0IGtleSBvZiAzMiBieXRlcyEh")).toBe(
        "bad-signature",
      );
      const bare = new Request(url, { method: "POST", body: entry.body });
      expect(await reason(bare)).toBe("missing-headers");
      const huge = resend(entry, { body: `${entry.body}${" ".repeat(70_000)}` });
      expect(await reason(huge)).toBe("too-large");
    });

    it("a signed body that is not a payload", async () => {
      const body = JSON.stringify({ hello: "world" });
      const id = "msg_x";
      const now = new Date();
      const request = new Request(url, {
        method: "POST",
        headers: {
          "webhook-id": id,
          "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
          "webhook-signature": new Webhook(SECRET).sign(id, now, body),
        },
        body,
      });
      expect(await reason(request)).toBe("bad-payload");
    });
  });
});

describe("the receiver emulator agrees", () => {
  let receiver: WebhookReceiverEmulator;
  beforeAll(async () => {
    receiver = await startWebhookReceiver();
  });
  afterAll(() => receiver.close());

  it("verifies every event type the recipe sends with its own secret", async () => {
    const composed = composeEvents([
      signedWebhook({ url: receiver.hookUrl, secret: receiver.secret }),
    ]);
    for (const { event, message } of cases) {
      await (composed[event] as (message: unknown) => Promise<void>)(message());
    }
    expect(receiver.deliveries.map((delivery) => [delivery.type, delivery.signatureValid])).toEqual(
      WEBHOOK_EVENT_TYPES.map((type) => [type, true]),
    );
  });
});
