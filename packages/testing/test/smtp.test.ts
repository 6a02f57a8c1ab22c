import { connect } from "node:net";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type SmtpEmulator, startSmtpServer } from "../src/index.ts";

type SendError = Error & { code?: string; responseCode?: number; command?: string };

const mail = {
  from: "Acme <hello@acme.test>",
  to: "alice@example.test",
  subject: "Welcome, Alice",
  text: "Hi Alice",
  html: "<p>Hi <b>Alice</b></p>",
};

async function sendError(promise: Promise<unknown>): Promise<SendError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error("expected sendMail to fail");
  return error as SendError;
}

async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error("condition not met in time");
    await new Promise((wake) => setTimeout(wake, 5));
  }
}

describe("startSmtpServer", () => {
  let smtp: SmtpEmulator;
  // A new connection per message (nodemailer's default), so every test starts from a fresh session.
  const transport = () => nodemailer.createTransport({ ...smtp.clientOptions });

  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterAll(() => smtp.close());
  beforeEach(() => smtp.reset());

  it("listens on loopback and says how to reach it", () => {
    expect(smtp.url).toBe(`smtp://127.0.0.1:${smtp.port}`);
    expect(smtp.smtpUrl).toBe(smtp.url);
    expect(smtp.clientOptions).toEqual({
      host: "127.0.0.1",
      port: smtp.port,
      secure: false,
      ignoreTLS: true,
    });
  });

  it("receives a message from nodemailer and parses it", async () => {
    const info = await transport().sendMail({
      ...mail,
      replyTo: "support@acme.test",
      headers: { "X-Recipe": "welcome-email" },
    });
    expect(info.response).toMatch(/^250 /);
    expect(smtp.messages).toHaveLength(1);
    const [received] = smtp.messages;
    expect(received).toMatchObject({
      envelope: { from: "hello@acme.test", to: ["alice@example.test"] },
      from: '"Acme" <hello@acme.test>',
      to: ["alice@example.test"],
      subject: "Welcome, Alice",
      replyTo: "support@acme.test",
      user: undefined,
    });
    expect(received?.text.trim()).toBe("Hi Alice");
    expect(received?.html).toBe("<p>Hi <b>Alice</b></p>");
    expect(received?.headers["x-recipe"]).toBe("welcome-email");
    expect(received?.headers.subject).toBe("Welcome, Alice");
    expect(received?.raw).toContain("X-Recipe: welcome-email");
    expect(smtp.requests).toHaveLength(1);
    expect(smtp.requests[0]).toMatchObject({
      method: "DATA",
      envelope: { from: "hello@acme.test", to: ["alice@example.test"] },
      reply: { code: 250 },
    });
    expect(smtp.requests[0]?.body).toBe(received?.raw);
  });

  it("records the envelope, not the headers: a Bcc goes only to the envelope", async () => {
    await transport().sendMail({ ...mail, bcc: "hidden@example.test", html: undefined });
    expect(smtp.messages[0]?.envelope.to).toEqual(["alice@example.test", "hidden@example.test"]);
    expect(smtp.messages[0]?.to).toEqual(["alice@example.test"]);
    expect(smtp.messages[0]?.headers.bcc).toBeUndefined();
    expect(smtp.messages[0]?.html).toBeUndefined();
  });

  it("takes the smtpUrl, as next-auth's EMAIL_SERVER", async () => {
    await nodemailer.createTransport(smtp.smtpUrl).sendMail(mail);
    expect(smtp.messages).toHaveLength(1);
  });

  describe("fail()", () => {
    it("answers the next message with 451 at the end of DATA by default, then accepts again", async () => {
      smtp.fail();
      const error = await sendError(transport().sendMail(mail));
      expect(error).toMatchObject({ code: "EMESSAGE", responseCode: 451 });
      expect(error.message).toContain("Injected failure");
      expect(smtp.messages).toHaveLength(0);
      expect(smtp.requests[0]).toMatchObject({ method: "DATA", reply: { code: 451 } });

      await transport().sendMail(mail);
      expect(smtp.messages).toHaveLength(1);
      expect(smtp.requests.map((r) => r.reply?.code)).toEqual([451, 250]);
    });

    it("fails `times` messages with the given code and text", async () => {
      smtp.fail({ times: 2, status: 550, body: "Mailbox unavailable" });
      for (let i = 0; i < 2; i++) {
        const error = await sendError(transport().sendMail(mail));
        expect(error.responseCode).toBe(550);
        expect(error.message).toContain("Mailbox unavailable");
      }
      await transport().sendMail(mail);
      expect(smtp.messages).toHaveLength(1);
      expect(smtp.requests).toHaveLength(3);
    });

    it("fails at RCPT: nodemailer reports EENVELOPE with the code, for every recipient, counted once", async () => {
      smtp.fail({ at: "RCPT", status: 452 });
      const error = await sendError(
        transport().sendMail({ ...mail, to: ["alice@example.test", "bob@example.test"] }),
      );
      expect(error).toMatchObject({ code: "EENVELOPE", responseCode: 452, command: "RCPT TO" });
      expect(smtp.messages).toHaveLength(0);
      expect(smtp.requests[0]).toMatchObject({
        method: "RCPT",
        envelope: { to: ["alice@example.test", "bob@example.test"] },
        reply: { code: 452 },
      });

      await transport().sendMail(mail);
      expect(smtp.messages).toHaveLength(1);
    });

    it("fails at MAIL FROM", async () => {
      smtp.fail({ at: "MAIL", status: 421 });
      const error = await sendError(transport().sendMail(mail));
      expect(error).toMatchObject({ code: "EENVELOPE", responseCode: 421, command: "MAIL FROM" });
      expect(smtp.requests[0]).toMatchObject({ method: "MAIL", reply: { code: 421 } });
      expect(smtp.messages).toHaveLength(0);
    });

    it("fails every message with times: Infinity, an object body sent as JSON", async () => {
      smtp.fail({ times: Number.POSITIVE_INFINITY, status: 500, body: { error: "nope" } });
      for (let i = 0; i < 3; i++) {
        const error = await sendError(transport().sendMail(mail));
        expect(error.responseCode).toBe(500);
        expect(error.message).toContain('{"error":"nope"}');
      }
      expect(smtp.messages).toHaveLength(0);
    });

    it("fails instead of the greeting", async () => {
      smtp.fail({ at: "CONNECT", status: 421, body: "Too busy" });
      const error = await sendError(transport().sendMail(mail));
      expect(error.responseCode).toBe(421);
      expect(error.message).toContain("Too busy");
      expect(smtp.requests).toEqual([
        expect.objectContaining({ method: "CONNECT", reply: { code: 421, message: "Too busy" } }),
      ]);
      await transport().sendMail(mail);
      expect(smtp.messages).toHaveLength(1);
    });
  });

  it("refuses nonsense faults", () => {
    expect(() => smtp.fail({ times: -1 })).toThrow(RangeError);
    expect(() => smtp.fail({ status: 99 })).toThrow(RangeError);
    expect(() => smtp.fail({ at: "QUIT" as never })).toThrow(RangeError);
    expect(() => smtp.hang({ at: "HELO" as never })).toThrow(RangeError);
    expect(() => smtp.delay(-1)).toThrow(RangeError);
  });

  describe("delay()", () => {
    it("waits before answering DATA", async () => {
      smtp.delay(300);
      const started = performance.now();
      await transport().sendMail(mail);
      expect(performance.now() - started).toBeGreaterThanOrEqual(290);
      expect(smtp.messages).toHaveLength(1);
    });

    it("answers at once on reset()", async () => {
      smtp.delay(60_000);
      const pending = transport().sendMail(mail);
      await expect.poll(() => smtp.messages.length).toBe(1);
      smtp.reset();
      expect((await pending).response).toMatch(/^250 /);
    });

    it("has accepted the message before the answer a client gave up on", async () => {
      smtp.delay(5_000);
      // The client gives up once the message is in, not after a fixed 200 ms: on a loaded machine it
      // could give up before sending DATA, and its message then landed in the next test.
      const giveUp = new AbortController();
      const sent = sendError(transport().sendMail({ ...mail, signal: giveUp.signal }));
      await until(() => smtp.messages.length > 0);
      giveUp.abort();
      const error = await sent;
      expect(error.code).toBe("EABORT");
      expect(smtp.messages).toHaveLength(1);
      expect(smtp.requests[0]?.reply).toBeUndefined();
    });
  });

  describe("hang()", () => {
    it("accepts connections and never greets them: the client's signal ends the wait", async () => {
      smtp.hang();
      const started = performance.now();
      const error = await sendError(
        transport().sendMail({ ...mail, signal: AbortSignal.timeout(200) }),
      );
      expect(error.code).toBe("EABORT");
      expect(performance.now() - started).toBeLessThan(2_000);
      expect(smtp.requests).toEqual([
        expect.objectContaining({ method: "CONNECT", reply: undefined }),
      ]);
      expect(smtp.messages).toHaveLength(0);
    });

    it("leaves the client to its greeting timeout", async () => {
      smtp.hang();
      const error = await sendError(
        nodemailer.createTransport({ ...smtp.clientOptions, greetingTimeout: 200 }).sendMail(mail),
      );
      expect(error.code).toBe("ETIMEDOUT");
    });

    it("never answers an open connection's next command", async () => {
      const pool = nodemailer.createTransport({
        ...smtp.clientOptions,
        pool: true,
        maxConnections: 1,
      });
      try {
        await pool.sendMail(mail);
        smtp.hang();
        const error = await sendError(pool.sendMail({ ...mail, signal: AbortSignal.timeout(200) }));
        expect(error.code).toBe("EABORT");
        expect(smtp.requests.map((r) => [r.method, r.reply?.code])).toEqual([
          ["DATA", 250],
          ["MAIL", undefined],
        ]);
        expect(new Set(smtp.requests.map((r) => r.sessionId)).size).toBe(1);
      } finally {
        pool.close();
      }
    });

    it("at DATA, reads the message and never acknowledges it", async () => {
      smtp.hang({ at: "DATA" });
      const error = await sendError(
        transport().sendMail({ ...mail, signal: AbortSignal.timeout(300) }),
      );
      expect(error.code).toBe("EABORT");
      expect(smtp.messages).toHaveLength(0);
      expect(smtp.requests[0]).toMatchObject({ method: "DATA", reply: undefined });
      expect(smtp.requests[0]?.headers.subject).toBe("Welcome, Alice");
    });

    it("stops at reset(), which cuts the connections left hanging", async () => {
      smtp.hang();
      const pending = sendError(transport().sendMail(mail));
      await expect.poll(() => smtp.requests.length).toBe(1);
      const started = performance.now();
      smtp.reset();
      expect((await pending).code).toMatch(/ECONNECTION|ESOCKET/);
      expect(performance.now() - started).toBeLessThan(1_000);
      await transport().sendMail(mail);
      expect(smtp.messages).toHaveLength(1);
    });

    it("stops at up()", async () => {
      smtp.hang({ at: "MAIL" });
      await smtp.up();
      await transport().sendMail(mail);
      expect(smtp.messages).toHaveLength(1);
    });
  });

  describe("down() and up()", () => {
    it("refuses connections while down, on the same port after up", async () => {
      await smtp.down();
      const error = await sendError(transport().sendMail(mail));
      expect(error.code).toBe("ESOCKET");
      expect(error.message).toContain("ECONNREFUSED");
      expect(smtp.requests).toHaveLength(0);

      await smtp.up();
      await transport().sendMail(mail);
      expect(smtp.messages).toHaveLength(1);
    });

    it("clears faults on up()", async () => {
      smtp.fail({ times: 5 });
      await smtp.down();
      await smtp.up();
      await transport().sendMail(mail);
      expect(smtp.messages).toHaveLength(1);
    });
  });

  it("reset() forgets every message and request", async () => {
    await transport().sendMail(mail);
    smtp.fail();
    smtp.reset();
    expect(smtp.messages).toHaveLength(0);
    expect(smtp.requests).toHaveLength(0);
    await transport().sendMail(mail);
    expect(smtp.messages).toHaveLength(1);
  });

  it("survives a client that resets its connection", async () => {
    await new Promise<void>((resolve, reject) => {
      const socket = connect(smtp.port, "127.0.0.1", () => {
        socket.write("EHLO x\r\nMAIL FROM:<a@b.test>\r\n");
        socket.resetAndDestroy();
        resolve();
      });
      socket.on("error", reject);
    });
    await transport().sendMail(mail);
    expect(smtp.messages).toHaveLength(1);
  });
});

describe("startSmtpServer({ auth })", () => {
  let smtp: SmtpEmulator;
  const auth = { user: "mailer", pass: "s3cret:/@" };

  beforeAll(async () => {
    smtp = await startSmtpServer({ auth });
  });
  afterAll(() => smtp.close());
  beforeEach(() => smtp.reset());

  it("accepts the right credentials, from clientOptions or from the URL", async () => {
    expect(smtp.clientOptions.auth).toEqual(auth);
    expect(smtp.smtpUrl).toBe(`smtp://mailer:s3cret%3A%2F%40@127.0.0.1:${smtp.port}`);
    await nodemailer.createTransport(smtp.clientOptions).sendMail(mail);
    await nodemailer.createTransport(smtp.smtpUrl).sendMail(mail);
    expect(smtp.messages.map((m) => m.user)).toEqual(["mailer", "mailer"]);
  });

  it("answers wrong credentials with 535", async () => {
    const error = await sendError(
      nodemailer
        .createTransport({ ...smtp.clientOptions, auth: { user: "mailer", pass: "wrong" } })
        .sendMail(mail),
    );
    expect(error).toMatchObject({ code: "EAUTH", responseCode: 535 });
    expect(smtp.messages).toHaveLength(0);
    expect(smtp.requests).toEqual([
      expect.objectContaining({
        method: "AUTH",
        user: "mailer",
        reply: expect.objectContaining({ code: 535 }),
      }),
    ]);
    expect(JSON.stringify(smtp.requests)).not.toContain("wrong");
  });

  it("refuses a client that does not authenticate", async () => {
    const { auth: _, ...anonymous } = smtp.clientOptions;
    const error = await sendError(nodemailer.createTransport(anonymous).sendMail(mail));
    expect(error.responseCode).toBe(530);
    expect(smtp.messages).toHaveLength(0);
  });
});

describe("close()", () => {
  it("never hangs, whatever connections are open or hung", async () => {
    const smtp = await startSmtpServer();
    smtp.hang();
    const pending = nodemailer
      .createTransport({ ...smtp.clientOptions })
      .sendMail(mail)
      .catch((e: unknown) => e as SendError);
    await expect.poll(() => smtp.requests.length).toBe(1);
    const started = performance.now();
    await smtp.close();
    expect(performance.now() - started).toBeLessThan(1_000);
    expect((await pending).code).toMatch(/ECONNECTION|ESOCKET/);
  });

  it("never hangs on a delayed answer, nor after down()", async () => {
    const smtp = await startSmtpServer();
    smtp.delay(60_000);
    const pending = nodemailer
      .createTransport({ ...smtp.clientOptions })
      .sendMail(mail)
      .catch((e: unknown) => e);
    await expect.poll(() => smtp.messages.length).toBe(1);
    await smtp.close();
    await pending;

    const other = await startSmtpServer();
    await other.down();
    await other.close();
    await expect(other.up()).rejects.toThrow(/closed/);
  });
});
