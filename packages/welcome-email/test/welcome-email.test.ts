import { createServer, type Server, type Socket } from "node:net";
import {
  type ComposeOptions,
  composeEvents,
  type DispatchReport,
  type HandlerResult,
  RecipeError,
} from "@auth-recipes/core";
import { dispatchEvent, type SmtpEmulator, startSmtpServer } from "@auth-recipes/testing";
import nodemailer10 from "nodemailer";
import nodemailer7 from "nodemailer-7";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type MailTransporter, WelcomeEmailError, welcomeEmail } from "../src/index.ts";
import type { WelcomeEmailOptions } from "../src/welcome-email.ts";

const alice = { id: "u1", name: "Alice", email: "alice@example.test" };
const from = "Acme <hello@acme.test>";

let smtp: SmtpEmulator;
beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(() => smtp.close());
beforeEach(() => smtp.reset());

/** Runs one createUser (or signIn) dispatch through composeEvents and returns what it reported. */
async function dispatch(
  options: WelcomeEmailOptions,
  message: Record<string, unknown> = { user: alice },
  compose: ComposeOptions = {},
): Promise<{ result: HandlerResult; errors: RecipeError[]; report: DispatchReport }> {
  const { report, errors } = await dispatchEvent(
    [welcomeEmail(options)],
    options.on ?? "createUser",
    message as never,
    compose,
  );
  return { result: report.results[0]!, errors, report };
}

const versions = [
  ["nodemailer 10", () => nodemailer10.createTransport({ ...smtp.clientOptions })],
  ["nodemailer 7", () => nodemailer7.createTransport({ ...smtp.clientOptions }) as MailTransporter],
] as const;

describe.each(versions)("with a %s transport", (_, transport) => {
  it("sends the new user a text and an HTML part", async () => {
    const { result, report } = await dispatch({ transport: transport(), from, appName: "Acme" });
    expect(result).toMatchObject({ recipe: "welcome-email", status: "fulfilled", attempts: 1 });
    expect(smtp.messages).toHaveLength(1);
    const [mail] = smtp.messages;
    expect(mail?.envelope).toEqual({ from: "hello@acme.test", to: ["alice@example.test"] });
    expect(mail?.from).toBe('"Acme" <hello@acme.test>');
    expect(mail?.to).toEqual(["alice@example.test"]);
    expect(mail?.subject).toBe("Welcome to Acme");
    expect(mail?.text).toContain("Hi Alice,");
    expect(mail?.text).toContain("Welcome to Acme! Your account is ready.");
    expect(mail?.html).toContain("Hi <bdi>Alice</bdi>,");
    expect(mail?.html).toContain('<meta name="color-scheme" content="light dark">');
    // Nothing remote to load, and no colour that would fight a dark theme.
    expect(mail?.html).not.toMatch(/<img|src=|url\(|https?:/i);
    expect(mail?.html).not.toMatch(/color:|background/i);
    // One Message-ID per dispatch, the same on a retry.
    expect(mail?.headers["message-id"]).toBe(`<welcome.${report.dispatchId}@acme.test>`);
  });

  it("retries a 451 when retry is on, and sends once", async () => {
    smtp.fail({ status: 451 });
    const { result, errors, report } = await dispatch(
      { transport: transport(), from },
      { user: alice },
      { retry: { retries: 2, minDelayMs: 10, jitter: false } },
    );
    expect(errors).toEqual([]);
    expect(result).toMatchObject({ status: "fulfilled", attempts: 2 });
    expect(smtp.requests.map((r) => r.reply?.code)).toEqual([451, 250]);
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]?.headers["message-id"]).toBe(
      `<welcome.${report.dispatchId}@acme.test>`,
    );
  });

  it("retries a 4xx at RCPT (EENVELOPE) too", async () => {
    smtp.fail({ status: 450, at: "RCPT" });
    const { result } = await dispatch(
      { transport: transport(), from },
      { user: alice },
      { retry: { retries: 1, minDelayMs: 10 } },
    );
    expect(result).toMatchObject({ status: "fulfilled", attempts: 2 });
    expect(smtp.messages).toHaveLength(1);
  });

  it("never retries a 550, and its error names neither the address nor the server's quote of it", async () => {
    smtp.fail({ status: 550, times: 5, body: "5.1.1 <alice@example.test>: no such user" });
    const { result, errors } = await dispatch(
      { transport: transport(), from },
      { user: alice },
      { retry: { retries: 3, minDelayMs: 10 } },
    );
    expect(result).toMatchObject({ status: "rejected", attempts: 1 });
    expect(smtp.requests).toHaveLength(1);
    expect(smtp.messages).toHaveLength(0);
    const [error] = errors;
    expect(error).toBeInstanceOf(RecipeError);
    expect(error?.cause).toBeInstanceOf(WelcomeEmailError);
    expect(error?.cause).toMatchObject({
      code: "EMESSAGE",
      responseCode: 550,
      command: "DATA",
      retryable: false,
    });
    const cause = error?.cause as Error;
    expect(cause.message).toContain("SMTP 550");
    expect(cause.message).toContain("no such user");
    for (const text of [error?.message, cause.message, String(cause.cause)]) {
      expect(text).not.toContain("alice@example.test");
    }
  });

  it("cuts a hung server at the timeout", async () => {
    smtp.hang();
    const started = performance.now();
    const { result, errors } = await dispatch(
      { transport: transport(), from, timeoutMs: 300 },
      { user: alice },
    );
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(1_000);
    expect(result.status).toBe("rejected");
    expect(errors[0]).toMatchObject({ recipe: "welcome-email", timedOut: true });
    expect(smtp.requests.map((r) => r.method)).toEqual(["CONNECT"]);
    expect(smtp.messages).toHaveLength(0);
  });

  it("treats a refused connection as retryable", async () => {
    await smtp.down();
    try {
      const { errors } = await dispatch({ transport: transport(), from });
      expect(errors[0]?.cause).toMatchObject({ code: "ESOCKET", retryable: true });
    } finally {
      await smtp.up();
    }
  });
});

describe("the address", () => {
  const cases: Array<[string, unknown]> = [
    ["CR/LF and a Bcc header", "alice@example.test\r\nBcc: evil@attacker.test"],
    ["a bare LF", "alice@example.test\nevil@attacker.test"],
    ["a space", "alice@ex ample.test"],
    ["two addresses", "alice@example.test, evil@attacker.test"],
    ["two addresses with a semicolon", "alice@example.test;evil@attacker.test"],
    ["a display name", "Evil <evil@attacker.test>"],
    ["a group", "friends: evil@attacker.test;"],
    ["a quoted local part", '"evil@attacker.test"@example.test'],
    ["a comment", "alice@example.test(evil@attacker.test)"],
    ["no @", "alice.example.test"],
    ["two @", "alice@evil@attacker.test"],
    ["a tab", "alice@example.test\tevil@attacker.test"],
    ["a non-breaking space", "alice@example.test\u00a0evil@attacker.test"],
    ["a line separator", "alice@example.test\u2028evil@attacker.test"],
    ["a NUL", "alice@example.test\u0000"],
    ["a zero-width space", "ali\u200Bce@example.test"],
    ["a right-to-left override", "alice@exam\u202Eple.test"],
    ["an empty string", ""],
    ["null", null],
    ["a number", 42],
  ];

  it.each(cases)("with %s sends nothing and is skipped, without quoting it", async (_, email) => {
    const { result, errors } = await dispatch(
      {
        transport: nodemailer10.createTransport({ ...smtp.clientOptions }),
        from,
      },
      { user: { id: "u2", name: "Mallory", email } },
    );
    expect(result.status).toBe("skipped");
    expect(errors).toEqual([]);
    expect(smtp.requests).toHaveLength(0);
    expect(smtp.messages).toHaveLength(0);
    if (typeof email === "string" && email) expect(result.reason).not.toContain(email);
    expect(result.reason).not.toMatch(/@/);
  });

  it("of a user without an email is skipped", async () => {
    const { result } = await dispatch(
      { transport: smtp.clientOptions, from },
      { user: { id: "u3", name: "No Mail" } },
    );
    expect(result).toMatchObject({ status: "skipped", reason: "the user has no email address" });
    expect(smtp.requests).toHaveLength(0);
  });

  it("with international characters is sent as it is", async () => {
    await dispatch(
      { transport: smtp.clientOptions, from },
      { user: { id: "u4", email: "jürgen@bücher.test" } },
    );
    expect(smtp.messages[0]?.envelope.to).toHaveLength(1);
    expect(smtp.messages[0]?.to[0]).toBe("jürgen@bücher.test");
  });
});

describe("hostile names", () => {
  const send = (name: string, options: Partial<WelcomeEmailOptions> = {}) =>
    dispatch(
      { transport: smtp.clientOptions, from, appName: "Acme", ...options },
      { user: { id: "u5", email: "alice@example.test", name } },
    );

  it("are escaped in the HTML part", async () => {
    await send(`<script>alert("x")</script><img src=x onerror='y'> & co`);
    const html = smtp.messages[0]?.html ?? "";
    expect(html).not.toMatch(/<script|<img|onerror='/i);
    expect(html).toContain(
      "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=&#39;y&#39;&gt; &amp; co",
    );
    expect(smtp.messages[0]?.text).toContain(`Hi <script>alert("x")</script>`);
  });

  it("cannot add a header or a recipient, even through a subject built from them", async () => {
    const name = "Eve\r\nBcc: evil@attacker.test\r\nX-Injected: yes";
    await send(name, { subject: (user) => `Welcome, ${(user as { name: string }).name}` });
    const [mail] = smtp.messages;
    expect(smtp.messages).toHaveLength(1);
    expect(mail?.envelope.to).toEqual(["alice@example.test"]);
    expect(mail?.headers.bcc).toBeUndefined();
    expect(mail?.headers["x-injected"]).toBeUndefined();
    expect(mail?.subject).toBe("Welcome, Eve Bcc: evil@attacker.test X-Injected: yes");
    expect(mail?.text).toContain("Hi Eve Bcc: evil@attacker.test X-Injected: yes,");
  });

  it("are cut on grapheme clusters: a family emoji stays whole", async () => {
    const family = "👨‍👩‍👧‍👦";
    await send(family.repeat(100));
    expect(smtp.messages[0]?.text).toContain(`Hi ${family.repeat(64)}…,`);
  });

  it("are cut short and freed of bidi controls, emoji and RTL text kept", async () => {
    await send("x".repeat(10_000));
    expect(smtp.messages[0]?.text).toContain(`Hi ${"x".repeat(64)}…,`);
    expect(smtp.messages[0]?.raw.length).toBeLessThan(5_000);
    smtp.reset();
    await send("\u202Eevil\u202C 👩‍👩‍👧 مرحبا");
    expect(smtp.messages[0]?.text).toContain("Hi evil 👩‍👩‍👧 مرحبا,");
    expect(smtp.messages[0]?.html).toContain("Hi <bdi>evil 👩‍👩‍👧 مرحبا</bdi>,");
  });

  it("fall back to a greeting without a name", async () => {
    await send(" \r\n ");
    expect(smtp.messages[0]?.text).toContain("Hi there,");
  });
});

describe("options", () => {
  it("takes an SMTP URL with credentials, and never shows the password", async () => {
    const secured = await startSmtpServer({ auth: { user: "mailer", pass: "hunter2-pass" } });
    try {
      await dispatch({ transport: secured.smtpUrl, from });
      expect(secured.messages.map((m) => m.user)).toEqual(["mailer"]);

      const wrong = secured.smtpUrl.replace("hunter2-pass", "wr0ng-p%40ss");
      const { errors } = await dispatch({ transport: wrong, from });
      expect(errors[0]?.cause).toMatchObject({
        code: "EAUTH",
        responseCode: 535,
        retryable: false,
      });
      const { errors: optionErrors } = await dispatch({
        transport: { ...secured.clientOptions, auth: { user: "mailer", pass: "wr0ng-p@ss" } },
        from,
      });
      for (const error of [...errors, ...optionErrors]) {
        const text = `${error.message} ${(error.cause as Error).message}`;
        expect(text).not.toMatch(/wr0ng|hunter2/);
      }
    } finally {
      await secured.close();
    }
  });

  it("refuses a key that is no option rather than ignoring it", () => {
    expect(() =>
      welcomeEmail({ transport: smtp.smtpUrl, from, onEvent: "signIn" } as never),
    ).toThrow(
      new TypeError(
        '[auth-recipes/welcome-email] option "onEvent" is not an option of welcomeEmail; the options are transport, from, render, shouldSend, on, headers, appName, replyTo, subject, timeoutMs, retry',
      ),
    );
  });

  it("creates its transporter once, from options", async () => {
    const events = composeEvents([
      welcomeEmail({ transport: { ...smtp.clientOptions, pool: true, maxConnections: 1 }, from }),
    ]);
    await events.createUser!({ user: alice });
    await events.createUser!({ user: { ...alice, id: "u9", email: "bob@example.test" } });
    expect(smtp.messages.map((m) => m.envelope.to[0])).toEqual([
      "alice@example.test",
      "bob@example.test",
    ]);
    // One pooled transporter, so one SMTP session for both.
    expect(new Set(smtp.messages.map((m) => m.sessionId)).size).toBe(1);
  });

  it("passes replyTo and headers, and a string or function subject", async () => {
    await dispatch({
      transport: smtp.clientOptions,
      from: { name: "Acme", address: "hello@acme.test" },
      replyTo: "support@acme.test",
      headers: { "X-Entity-Ref-ID": "welcome" },
      subject: "Glad you're here",
    });
    expect(smtp.messages[0]).toMatchObject({
      replyTo: "support@acme.test",
      subject: "Glad you're here",
      headers: expect.objectContaining({ "x-entity-ref-id": "welcome" }),
    });
    smtp.reset();
    await dispatch({
      transport: smtp.clientOptions,
      from,
      subject: (user) => `Hello ${(user as { name: string }).name}`,
    });
    expect(smtp.messages[0]?.subject).toBe("Hello Alice");
  });

  it("render gives the content; its subject wins", async () => {
    const seen: unknown[] = [];
    await dispatch({
      transport: smtp.clientOptions,
      from,
      appName: "Acme",
      subject: "ignored",
      render: async (input) => {
        seen.push(input);
        return { subject: "Rendered", text: "plain body", html: "<p>rich body</p>" };
      },
    });
    expect(seen).toEqual([{ user: alice, appName: "Acme" }]);
    expect(smtp.messages[0]).toMatchObject({ subject: "Rendered", html: "<p>rich body</p>" });
    expect(smtp.messages[0]?.text.trim()).toBe("plain body");
  });

  it("render without html sends a text-only mail; a broken render fails without retry", async () => {
    await dispatch({ transport: smtp.clientOptions, from, render: () => ({ text: "only text" }) });
    expect(smtp.messages[0]?.html).toBeUndefined();
    expect(smtp.messages[0]?.subject).toBe("Welcome!");
    smtp.reset();
    const { result, errors } = await dispatch(
      { transport: smtp.clientOptions, from, render: () => ({ html: "<p>x</p>" }) as never },
      { user: alice },
      { retry: { retries: 2, minDelayMs: 1 } },
    );
    expect(result).toMatchObject({ status: "rejected", attempts: 1 });
    expect(errors[0]?.cause).toBeInstanceOf(TypeError);
    expect(smtp.requests).toHaveLength(0);
  });

  it("shouldSend guards each send", async () => {
    const asked: unknown[] = [];
    const welcomed = new Set<string>(["u1"]);
    const options: WelcomeEmailOptions = {
      transport: smtp.clientOptions,
      from,
      shouldSend: async (user) => {
        asked.push(user);
        const id = (user as { id: string }).id;
        if (welcomed.has(id)) return false;
        welcomed.add(id);
        return true;
      },
    };
    const first = await dispatch(options);
    expect(first.result).toMatchObject({ status: "skipped", reason: "shouldSend returned false" });
    expect(smtp.requests).toHaveLength(0);
    const second = await dispatch(options, { user: { ...alice, id: "u7" } });
    expect(second.result.status).toBe("fulfilled");
    expect(smtp.messages).toHaveLength(1);
    expect(asked).toHaveLength(2);
  });

  it('on: "signIn" sends only when isNewUser is true', async () => {
    const options: WelcomeEmailOptions = { transport: smtp.clientOptions, from, on: "signIn" };
    const recipe = welcomeEmail(options);
    expect(Object.keys(recipe.events)).toEqual(["signIn"]);
    const account = { provider: "github", type: "oauth", providerAccountId: "1" };
    for (const isNewUser of [undefined, false]) {
      const { result } = await dispatch(options, { user: alice, account, isNewUser });
      expect(result).toMatchObject({ status: "skipped", reason: "not a new user" });
    }
    expect(smtp.requests).toHaveLength(0);
    await dispatch(options, { user: alice, account, isNewUser: true });
    expect(smtp.messages).toHaveLength(1);
  });

  it("handles createUser by default and carries timeoutMs and retry", () => {
    const recipe = welcomeEmail({
      transport: smtp.smtpUrl,
      from,
      timeoutMs: 1234,
      retry: { retries: 1 },
    });
    expect(recipe).toMatchObject({ name: "welcome-email", timeoutMs: 1234, retry: { retries: 1 } });
    expect(Object.keys(recipe.events)).toEqual(["createUser"]);
  });
});

describe("configuration errors", () => {
  const valid = (): WelcomeEmailOptions => ({ transport: smtp.smtpUrl, from });
  const cases: Array<[string, Partial<Record<keyof WelcomeEmailOptions, unknown>>, RegExp]> = [
    ["no transport", { transport: undefined }, /option "transport" is required/],
    ["no from", { from: undefined }, /option "from" is required/],
    ["an empty from", { from: "" }, /option "from" is required/],
    [
      "a from with a line break",
      { from: "a@b.test\r\nBcc: x@y.test" },
      /"from" must not contain line breaks/,
    ],
    ["a from object without address", { from: { name: "Acme" } }, /"from.address" is required/],
    ["a bad URL", { transport: "not a url :: secret-pass" }, /"transport" must be/],
    ["an http URL", { transport: "http://user:secret-pass@host" }, /smtp:\/\/ or smtps:\/\//],
    ["a number transport", { transport: 25 }, /"transport" must be/],
    ["an unknown on", { on: "createdUser" }, /"on" must be "createUser" or "signIn"/],
    ["a non-function render", { render: "x" }, /"render" must be a function/],
    ["a non-function shouldSend", { shouldSend: true }, /"shouldSend" must be a function/],
    ["a subject with a line break", { subject: "a\nb" }, /"subject" must not contain line breaks/],
    ["a header with a line break", { headers: { "X-A": "a\r\nBcc: x@y.test" } }, /"headers"/],
    ["a bad header name", { headers: { "X A": "a" } }, /"headers"/],
    ["a replyTo with a line break", { replyTo: "a@b.test\nx" }, /"replyTo"/],
  ];
  it.each(cases)("%s throws a TypeError at once, naming the option", (_, patch, message) => {
    const attempt = () => welcomeEmail({ ...valid(), ...patch } as WelcomeEmailOptions);
    expect(attempt).toThrow(TypeError);
    expect(attempt).toThrow(message);
    expect(attempt).toThrow(/^\[auth-recipes\/welcome-email\] /);
    try {
      attempt();
    } catch (error) {
      expect((error as Error).message).not.toContain("secret-pass");
    }
  });

  it("composeEvents rejects a bad timeoutMs", () => {
    expect(() => composeEvents([welcomeEmail({ ...valid(), timeoutMs: -1 })])).toThrow(RangeError);
  });
});

describe("the signal", () => {
  // A server that accepts and never greets, so the test sees when the client closes its socket.
  let silent: Server;
  let port: number;
  const sockets: Socket[] = [];
  const closed: number[] = [];
  beforeAll(async () => {
    silent = createServer((socket) => {
      sockets.push(socket);
      socket.on("close", () => closed.push(performance.now()));
      socket.on("error", () => {});
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    port = (silent.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it("aborts nodemailer 10's SMTP exchange at the timeout", async () => {
    const transport = nodemailer10.createTransport({ host: "127.0.0.1", port, ignoreTLS: true });
    const started = performance.now();
    const { errors } = await dispatch({ transport, from, timeoutMs: 200 });
    expect(errors[0]?.timedOut).toBe(true);
    await expect.poll(() => closed.length, { timeout: 1_000 }).toBe(1);
    expect(closed[0]! - started).toBeLessThan(800);
  });

  it("settles the handler itself when its signal aborts, even with nodemailer 7", async () => {
    const before = closed.length;
    const transport = nodemailer7.createTransport({
      host: "127.0.0.1",
      port,
      ignoreTLS: true,
      greetingTimeout: 500,
    }) as MailTransporter;
    const recipe = welcomeEmail({ transport, from });
    const reason = Object.assign(new Error("timed out"), { name: "TimeoutError" });
    const controller = new AbortController();
    setTimeout(() => controller.abort(reason), 100);
    const started = performance.now();
    const handling = recipe.events.createUser!(
      { user: alice },
      {
        event: "createUser",
        recipe: "welcome-email",
        attempt: 1,
        signal: controller.signal,
        deadline: Date.now() + 100,
        dispatchId: "d1",
      },
    );
    await expect(handling).rejects.toBe(reason);
    expect(performance.now() - started).toBeLessThan(400);
    // nodemailer 7 closes its socket at its own greeting timeout; wait for it, for the next test's count.
    await expect.poll(() => closed.length, { timeout: 2_000 }).toBe(before + 1);
  });

  it("stops the wait with nodemailer 7, whose socket lives to its own greeting timeout", async () => {
    const before = closed.length;
    const transport = nodemailer7.createTransport({
      host: "127.0.0.1",
      port,
      ignoreTLS: true,
      greetingTimeout: 700,
    }) as MailTransporter;
    const started = performance.now();
    const { errors } = await dispatch({ transport, from, timeoutMs: 200 });
    expect(performance.now() - started).toBeLessThan(600);
    expect(errors[0]?.timedOut).toBe(true);
    await expect.poll(() => closed.length, { timeout: 2_000 }).toBe(before + 1);
    expect(closed.at(-1)! - started).toBeGreaterThanOrEqual(650);
  });
});
