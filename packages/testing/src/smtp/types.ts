import type { IncomingHttpHeaders } from "node:http";
import type { Emulator, EmulatorOptions, FailOptions, RecordedRequest } from "../emulator/types.ts";

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
