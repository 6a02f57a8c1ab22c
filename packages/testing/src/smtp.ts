import type { IncomingHttpHeaders } from "node:http";
import type { Socket } from "node:net";
import { type AddressObject, type HeaderLines, type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer, type SMTPServerSession } from "smtp-server";
import type { Emulator, EmulatorOptions, FailOptions, RecordedRequest } from "./http-emulator.ts";

/**
 * The points of an SMTP exchange where {@link SmtpEmulator.fail} and {@link SmtpEmulator.hang} act:
 * the greeting, `MAIL FROM`, `RCPT TO` and the end of `DATA`.
 */
export type SmtpStage = "CONNECT" | "MAIL" | "RCPT" | "DATA";

/** Options for {@link SmtpEmulator.fail}. */
export interface SmtpFailOptions extends FailOptions {
  /**
   * How many of the next messages (or, at `"CONNECT"`, connections) fail. Every `RCPT TO` of a failing
   * message is refused, and counts once.
   * @default 1
   */
  times?: number;
  /**
   * The SMTP reply code: 4xx is a transient failure, 5xx a permanent one.
   * @default 451
   */
  status?: number;
  /**
   * The reply text (JSON-encoded unless a string).
   * @default "Injected failure"
   */
  body?: unknown;
  /**
   * Where the failure answers: instead of the greeting (the connection is then closed), `MAIL FROM`,
   * each `RCPT TO` (nodemailer reports `EENVELOPE`) or the end of `DATA` (`EMESSAGE`).
   * @default "DATA"
   */
  at?: SmtpStage;
}

/** Options for {@link SmtpEmulator.hang}. */
export interface SmtpHangOptions {
  /**
   * The first point left unanswered; every later one is too. `"CONNECT"`: new connections are accepted
   * and never greeted, and open ones never get an answer to their next `MAIL FROM`. `"DATA"`: the
   * message is read (and recorded in `requests`, not in `messages`) and never acknowledged.
   * @default "CONNECT"
   */
  at?: SmtpStage;
}

/** Options for {@link startSmtpServer}. */
export interface SmtpServerOptions extends EmulatorOptions {
  /**
   * Credentials the server requires (AUTH PLAIN or LOGIN, allowed without TLS). Wrong ones are
   * answered with 535; a client that does not authenticate gets 530. Without this option, AUTH is
   * optional and any credentials are accepted.
   * @default undefined
   */
  auth?: { user: string; pass: string };
}

/** The sender and recipients a message was sent with (`MAIL FROM` and `RCPT TO`), not its headers. */
export interface SmtpEnvelope {
  /** The `MAIL FROM` address; empty for the null sender. */
  from: string;
  /** Every `RCPT TO` address, in order. */
  to: string[];
}

/** A message the emulator accepted, parsed with mailparser. */
export interface ReceivedMail {
  /** What the SMTP exchange said: where the message really went, whatever its headers claim. */
  envelope: SmtpEnvelope;
  /** The `From` header as text, such as `Acme <hello@acme.test>`; empty without one. */
  from: string;
  /** The addresses of the `To` header (group members included). */
  to: string[];
  /** The `Subject` header, decoded; empty without one. */
  subject: string;
  /** The plain-text part; empty without one. */
  text: string;
  /** The HTML part; `undefined` without one. */
  html: string | undefined;
  /** The `Reply-To` header as text; `undefined` without one. */
  replyTo: string | undefined;
  /** The headers as sent (unfolded, not decoded), names in lower case; repeated ones as an array. */
  headers: IncomingHttpHeaders;
  /** The whole message source as received. */
  raw: string;
  /** The user name the client authenticated with, if it did. */
  user: string | undefined;
  /** The SMTP session (connection) it arrived on. */
  sessionId: string;
  /** When it arrived, in ms since the epoch. */
  receivedAt: number;
}

/**
 * One mail transaction (`MAIL FROM` … end of `DATA`) as the emulator received it, whatever it answered;
 * also a connection that never got past the greeting (`method: "CONNECT"`) and a refused AUTH
 * (`method: "AUTH"`). Shaped like the HTTP emulators' {@link RecordedRequest}.
 */
export interface SmtpRequest extends RecordedRequest {
  /** The last point the exchange reached: `"AUTH"` or one of the {@link SmtpStage}s. */
  method: SmtpStage | "AUTH";
  /** Always `""`: SMTP has no path. */
  path: string;
  /** The message's headers, once `DATA` was read (see {@link ReceivedMail.headers}); else empty. */
  headers: IncomingHttpHeaders;
  /** The message source, once `DATA` was read; else empty. */
  body: string;
  /** The addresses given so far. */
  envelope: SmtpEnvelope;
  /** The user name the client authenticated (or, for `"AUTH"`, tried) with. */
  user: string | undefined;
  /** The SMTP session (connection). */
  sessionId: string;
  /**
   * The answer that ended the transaction: an injected failure or the reply to `DATA`. `undefined`
   * while it runs, and forever when it hung.
   */
  reply: { code: number; message: string } | undefined;
}

/** nodemailer SMTP transport options that point at the emulator: `createTransport(emulator.clientOptions)`. */
export interface SmtpClientOptions {
  host: string;
  port: number;
  secure: false;
  /** The emulator offers no STARTTLS (smtp-server's built-in certificate has expired). */
  ignoreTLS: true;
  /** Present when the emulator was started with `auth`. */
  auth?: { user: string; pass: string };
}

/** A running SMTP emulator: a real SMTP server on loopback, with fault injection. */
export interface SmtpEmulator extends Emulator {
  /** `smtp://HOST:PORT`, without credentials. */
  url: string;
  /**
   * `smtp://HOST:PORT`, with the credentials when started with `auth`: what next-auth's Email provider
   * and `createTransport(url)` take.
   */
  smtpUrl: string;
  /** What nodemailer's `createTransport` needs to reach the emulator. */
  clientOptions: SmtpClientOptions;
  /** Every mail transaction, accepted or not, in order. */
  requests: SmtpRequest[];
  /** Every message accepted (answered 250 at the end of `DATA`), in order. */
  messages: ReceivedMail[];
  /** Answer the next `times` messages with the SMTP code `status` at the point `at`. */
  fail(options?: SmtpFailOptions): void;
  /**
   * Wait `ms` before answering the end of each `DATA` (0 turns it off). The message is accepted and
   * recorded first, as a real server commits it before it answers: a client that gives up meanwhile
   * has still delivered it. `reset()` sends the answers still waiting at once.
   */
  delay(ms: number): void;
  /**
   * Accept connections and stop answering from the point `at` on, until `reset()` or `up()`. `reset()`,
   * `down()` and `close()` cut the connections left hanging.
   */
  hang(options?: SmtpHangOptions): void;
}

const STAGES: readonly SmtpStage[] = ["CONNECT", "MAIL", "RCPT", "DATA"];

interface Failure {
  times: number;
  status: number;
  message: string;
  at: SmtpStage;
}

interface Transaction {
  record: SmtpRequest;
  /** The error every RCPT TO of this transaction gets, once one was failed. */
  rcptFailure?: Error;
}

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

function addressesOf(header: AddressObject | AddressObject[] | undefined): string[] {
  const out: string[] = [];
  const visit = (entries: AddressObject["value"]) => {
    for (const entry of entries) {
      if (entry.address) out.push(entry.address);
      if (entry.group) visit(entry.group);
    }
  };
  for (const object of Array.isArray(header) ? header : header ? [header] : []) visit(object.value);
  return out;
}

function headersOf(lines: HeaderLines): IncomingHttpHeaders {
  const headers: IncomingHttpHeaders = {};
  for (const { key, line } of lines) {
    const value = line
      .slice(line.indexOf(":") + 1)
      .replace(/\r?\n[ \t]+/g, " ")
      .trim();
    const previous = headers[key];
    headers[key] =
      previous === undefined
        ? value
        : Array.isArray(previous)
          ? [...previous, value]
          : [previous, value];
  }
  return headers;
}

function userOf(session: SMTPServerSession): string | undefined {
  return typeof session.user === "string" ? session.user : undefined;
}

function formatHost(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}

/**
 * Starts a real SMTP server (the `smtp-server` package) on loopback that parses every message it
 * accepts and offers the same fault injection as the HTTP emulators. STARTTLS is not offered, so point
 * nodemailer at it with {@link SmtpEmulator.clientOptions} or {@link SmtpEmulator.smtpUrl}.
 *
 * @example
 * ```ts
 * const smtp = await startSmtpServer();
 * const transport = nodemailer.createTransport(smtp.clientOptions);
 * await transport.sendMail({ from: "app@example.test", to: "alice@example.test", text: "Hi" });
 * smtp.messages[0].envelope.to; // ["alice@example.test"]
 * smtp.fail({ status: 451 });    // the next message gets "451 Injected failure" at the end of DATA
 * await smtp.close();
 * ```
 */
export async function startSmtpServer(options: SmtpServerOptions = {}): Promise<SmtpEmulator> {
  const host = options.host ?? "127.0.0.1";
  const credentials = options.auth;
  const requests: SmtpRequest[] = [];
  const messages: ReceivedMail[] = [];
  const sockets = new Set<Socket>();
  // By the client's port, to find a session's socket: smtp-server does not expose it.
  const socketsByPort = new Map<number, Socket>();
  const transactions = new Map<string, Transaction>();
  // Connections left unanswered by hang(), and answers waiting out delay(): reset() and close() end them.
  const hung = new Set<Socket>();
  const delayed = new Set<() => void>();
  let closed = false;
  let failure: Failure | undefined;
  let delayMs = 0;
  let hangFrom: number | undefined;

  const hangs = (stage: SmtpStage, session: SMTPServerSession) => {
    if (hangFrom === undefined || STAGES.indexOf(stage) < hangFrom) return false;
    const socket = socketsByPort.get(session.remotePort);
    if (socket) hung.add(socket);
    return true;
  };
  const takeFailure = (stage: SmtpStage): Error | undefined => {
    if (!failure || failure.at !== stage || !(failure.times > 0)) return undefined;
    failure.times--;
    return smtpError(failure.status, failure.message);
  };
  const record = (
    session: SMTPServerSession,
    method: SmtpRequest["method"],
    user = userOf(session),
  ): SmtpRequest => {
    const request: SmtpRequest = {
      method,
      path: "",
      headers: {},
      body: "",
      receivedAt: Date.now(),
      envelope: { from: "", to: [] },
      user,
      sessionId: session.id,
      reply: undefined,
    };
    requests.push(request);
    return request;
  };
  const answer = (request: SmtpRequest, error: Error) => {
    request.reply = {
      code: (error as { responseCode?: number }).responseCode ?? 451,
      message: error.message,
    };
    return error;
  };
  const wait = (ms: number) =>
    new Promise<void>((wake) => {
      const done = () => {
        clearTimeout(timer);
        delayed.delete(done);
        wake();
      };
      const timer = setTimeout(done, ms);
      delayed.add(done);
    });

  const server = new SMTPServer({
    logger: false,
    // smtp-server's built-in certificate has expired: offering STARTTLS would break every client
    // that does not set ignoreTLS.
    disabledCommands: ["STARTTLS"],
    disableReverseLookup: true,
    authOptional: !credentials,
    allowInsecureAuth: true,
    closeTimeout: 100,

    onConnect(session, callback) {
      if (hangs("CONNECT", session)) {
        record(session, "CONNECT");
        return; // Never greeted: the client waits for its greeting timeout or its signal.
      }
      const error = takeFailure("CONNECT");
      if (error) return callback(answer(record(session, "CONNECT"), error));
      callback();
    },

    onAuth(auth, session, callback) {
      if (
        !credentials ||
        (auth.username === credentials.user && auth.password === credentials.pass)
      ) {
        return callback(null, { user: auth.username });
      }
      const request = record(session, "AUTH", auth.username);
      callback(answer(request, smtpError(535, "Authentication credentials invalid")));
    },

    onMailFrom(address, session, callback) {
      const request = record(session, "MAIL");
      request.envelope.from = address.address;
      transactions.set(session.id, { record: request });
      if (hangs("MAIL", session)) return;
      const error = takeFailure("MAIL");
      callback(error && answer(request, error));
    },

    onRcptTo(address, session, callback) {
      const transaction = transactions.get(session.id);
      const request = transaction?.record ?? record(session, "RCPT");
      request.method = "RCPT";
      request.envelope.to.push(address.address);
      if (hangs("RCPT", session)) return;
      if (transaction?.rcptFailure) return callback(transaction.rcptFailure);
      const error = takeFailure("RCPT");
      if (error && transaction) transaction.rcptFailure = error;
      callback(error && answer(request, error));
    },

    onData(stream, session, callback) {
      const request = transactions.get(session.id)?.record ?? record(session, "DATA");
      transactions.delete(session.id);
      request.method = "DATA";
      const hanging = hangs("DATA", session);
      const error = hanging ? undefined : takeFailure("DATA");
      // Read now, so that turning the delay off mid-message does not shorten this one.
      const lateBy = delayMs;
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", async () => {
        const raw = Buffer.concat(chunks);
        request.body = raw.toString("utf8");
        let parsed: ParsedMail | undefined;
        try {
          parsed = await simpleParser(raw);
          request.headers = headersOf(parsed.headerLines);
        } catch {
          // An unparsable message is still recorded, raw; the client gets a failure below.
        }
        if (hanging) return;
        if (!error && parsed) {
          messages.push({
            envelope: { from: request.envelope.from, to: [...request.envelope.to] },
            from: parsed.from?.text ?? "",
            to: addressesOf(parsed.to),
            subject: parsed.subject ?? "",
            text: parsed.text ?? "",
            html: parsed.html || undefined,
            replyTo: parsed.replyTo?.text,
            headers: request.headers,
            raw: request.body,
            user: request.user,
            sessionId: session.id,
            receivedAt: request.receivedAt,
          });
        }
        if (lateBy > 0) await wait(lateBy);
        const failed =
          error ?? (parsed ? undefined : smtpError(554, "Message could not be parsed"));
        if (failed) return callback(answer(request, failed));
        request.reply = { code: 250, message: "OK: message queued" };
        callback(null, "OK: message queued");
      });
    },

    onClose(session) {
      transactions.delete(session.id);
    },
  });
  // Without a listener, a client that resets its connection would crash the host process.
  server.on("error", () => {});
  server.server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    const port = socket.remotePort;
    if (port !== undefined) socketsByPort.set(port, socket);
    socket.on("close", () => {
      sockets.delete(socket);
      hung.delete(socket);
      if (port !== undefined && socketsByPort.get(port) === socket) socketsByPort.delete(port);
    });
  });

  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        const address = server.server.address();
        resolve(typeof address === "object" && address ? address.port : port);
      });
    });
  const stopListening = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      hung.clear();
      for (const done of [...delayed]) done();
      if (!server.server.listening) return resolve();
      server.server.close(() => resolve());
    });
  const clearFaults = () => {
    failure = undefined;
    delayMs = 0;
    hangFrom = undefined;
  };

  const port = await listen(options.port ?? 0);
  const url = `smtp://${formatHost(host)}:${port}`;
  const smtpUrl = credentials
    ? `smtp://${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.pass)}@${formatHost(host)}:${port}`
    : url;
  const clientOptions: SmtpClientOptions = { host, port, secure: false, ignoreTLS: true };
  if (credentials) clientOptions.auth = { ...credentials };

  return {
    url,
    smtpUrl,
    port,
    clientOptions,
    requests,
    messages,
    fail(options = {}) {
      const times = options.times ?? 1;
      const status = options.status ?? 451;
      const at = options.at ?? "DATA";
      if (!(times >= 0)) throw new RangeError('[auth-recipes/testing] fail(): "times" must be ≥ 0');
      if (!(Number.isInteger(status) && status >= 200 && status <= 599)) {
        throw new RangeError('[auth-recipes/testing] fail(): "status" must be an SMTP reply code');
      }
      if (!STAGES.includes(at)) {
        throw new RangeError(
          `[auth-recipes/testing] fail(): "at" must be one of ${STAGES.join(", ")}`,
        );
      }
      const { body } = options;
      failure = {
        times,
        status,
        message:
          body === undefined
            ? "Injected failure"
            : typeof body === "string"
              ? body
              : JSON.stringify(body),
        at,
      };
    },
    delay(ms) {
      if (!(ms >= 0)) throw new RangeError("[auth-recipes/testing] delay(): ms must be ≥ 0");
      delayMs = ms;
    },
    hang(options = {}) {
      const at = options.at ?? "CONNECT";
      if (!STAGES.includes(at)) {
        throw new RangeError(
          `[auth-recipes/testing] hang(): "at" must be one of ${STAGES.join(", ")}`,
        );
      }
      hangFrom = STAGES.indexOf(at);
    },
    down: stopListening,
    async up() {
      if (closed) throw new Error("[auth-recipes/testing] up(): the emulator is closed");
      clearFaults();
      if (!server.server.listening) await listen(port);
    },
    reset() {
      requests.length = 0;
      messages.length = 0;
      clearFaults();
      for (const socket of [...hung]) socket.destroy();
      hung.clear();
      for (const done of [...delayed]) done();
    },
    async close() {
      closed = true;
      clearFaults();
      await stopListening();
      // Lets smtp-server clear its own close timer; no connection is left for it to wait for.
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
