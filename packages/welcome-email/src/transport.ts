import { createTransport } from "nodemailer";
import { type EmailTransport, isEmailTransport } from "./email-transport.ts";
import { sendError } from "./errors.ts";

/** The message the recipe hands to `sendMail`. */
export interface WelcomeMail {
  from: string | { name: string; address: string };
  to: string;
  subject: string;
  text: string;
  html?: string;
  replyTo?: string;
  headers?: Record<string, string>;
  messageId?: string;
  /** Honoured by nodemailer 10.5 and later; older versions ignore it (the recipe stops waiting anyway). */
  signal?: AbortSignal;
}

/**
 * What the recipe needs of a transporter: nodemailer's `createTransport(...)` result, from version 7 on
 * (next-auth v4's Email provider peers on 7), or anything with the same `sendMail`.
 */
export interface MailTransporter {
  sendMail(mail: WelcomeMail): Promise<unknown>;
}

/**
 * nodemailer SMTP transport options, as `createTransport` takes them (`host`, `port`, `secure`, `auth`,
 * `pool`, timeouts, …). The recipe passes them on unread, except for the password it keeps out of errors.
 */
export interface SmtpTransportOptions {
  host?: string;
  port?: number | string;
  secure?: boolean;
  /** `{ user, pass }`, or another of nodemailer's authentication objects (OAuth2, …). */
  auth?: SmtpAuth;
  /** A connection URL, merged over the other options. */
  url?: string;
  /** A well-known service name, such as `"gmail"`. */
  service?: string;
  ignoreTLS?: boolean;
  requireTLS?: boolean;
  tls?: object;
  /** The client's host name, for EHLO. */
  name?: string;
  localAddress?: string;
  connectionTimeout?: number;
  greetingTimeout?: number;
  socketTimeout?: number;
  dnsTimeout?: number;
  pool?: boolean;
  maxConnections?: number;
  maxMessages?: number;
  proxy?: string;
  logger?: unknown;
  debug?: boolean;
}

/** SMTP credentials, as nodemailer takes them. */
export interface SmtpAuth {
  type?: string;
  user?: string;
  pass?: string;
}

/**
 * An {@link EmailTransport} (`resendTransport(resend)`), a nodemailer transporter, an SMTP URL (next-auth's
 * `EMAIL_SERVER`), or SMTP transport options.
 */
export type WelcomeEmailTransport =
  | EmailTransport
  | MailTransporter
  | string
  | SmtpTransportOptions;

function isTransporter(value: unknown): value is MailTransporter {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { sendMail?: unknown }).sendMail === "function"
  );
}

function passwordOf(options: unknown): string | undefined {
  const pass = (options as { auth?: { pass?: unknown } } | undefined)?.auth?.pass;
  return typeof pass === "string" && pass ? pass : undefined;
}

/**
 * Turns the `transport` option into a transporter, creating it (once, here) from a URL or options, and
 * collects the password that errors must never show. Throws a TypeError for a malformed option; the
 * message never quotes the value, which can hold a password.
 */
export function toTransporter(
  transport: unknown,
  fail: (message: string) => never,
): { transporter: MailTransporter; secrets: string[] } {
  const secrets: string[] = [];
  if (isTransporter(transport)) {
    // A nodemailer Mail object keeps its options on its transport.
    const inner = (transport as { transporter?: { options?: unknown }; options?: unknown })
      .transporter;
    for (const options of [inner?.options, (transport as { options?: unknown }).options]) {
      const pass = passwordOf(options);
      if (pass) secrets.push(pass);
    }
    return { transporter: transport, secrets };
  }
  if (typeof transport === "string") {
    let url: URL;
    try {
      url = new URL(transport);
    } catch {
      fail(
        'option "transport" must be a transporter, an SMTP URL or SMTP options (the URL is malformed)',
      );
    }
    if (url.protocol !== "smtp:" && url.protocol !== "smtps:") {
      fail('option "transport" must be an smtp:// or smtps:// URL when it is a string');
    }
    if (url.password) {
      secrets.push(url.password);
      secrets.push(decodeURIComponent(url.password));
    }
  } else if (typeof transport === "object" && transport !== null && !Array.isArray(transport)) {
    const pass = passwordOf(transport);
    if (pass) secrets.push(pass);
  } else {
    fail('option "transport" must be a transporter, an SMTP URL or SMTP options');
  }
  // Not pooled unless asked: a welcome email is rare, and an idle pooled socket would keep the process up.
  const transporter = (createTransport as (options: unknown) => MailTransporter)(transport);
  return { transporter, secrets };
}

/**
 * The `transport` option as an {@link EmailTransport}: as given when it is one, else SMTP through
 * nodemailer (a transporter, or one created here from a URL or options). Throws a TypeError for a
 * malformed option.
 */
export function toEmailTransport(
  transport: unknown,
  fail: (message: string) => never,
): EmailTransport {
  if (isEmailTransport(transport)) {
    if (typeof transport.name !== "string" || !transport.name) {
      fail('option "transport" is an EmailTransport without a "name"');
    }
    return transport;
  }
  const { transporter, secrets } = toTransporter(transport, fail);
  return smtpTransport(transporter, secrets);
}

/**
 * SMTP as an {@link EmailTransport}. SMTP has no idempotency key: the same Message-ID on every attempt is
 * what it offers (receivers that deduplicate by it show a retried welcome once). It cannot send `react`.
 */
function smtpTransport(transporter: MailTransporter, secrets: readonly string[]): EmailTransport {
  return {
    name: "smtp",
    react: false,
    async sendEmail(email, { signal }) {
      const { react: _, text = "", ...rest } = email;
      try {
        await sendWithSignal(transporter, { ...rest, text }, signal);
      } catch (error) {
        // Aborted: the reason (core's TimeoutError) says why better than nodemailer's EABORT does.
        if (signal.aborted) throw signal.reason;
        throw sendError(error, secrets);
      }
    },
  };
}

/**
 * Sends, and settles as soon as `signal` aborts: nodemailer 10.5+ aborts the SMTP exchange itself; older
 * versions ignore the signal, so the race stops the wait even where the socket lingers to its own timeout.
 */
export function sendWithSignal(
  transporter: MailTransporter,
  mail: WelcomeMail,
  signal: AbortSignal,
): Promise<unknown> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    let sending: Promise<unknown>;
    try {
      sending = Promise.resolve(transporter.sendMail({ ...mail, signal }));
    } catch (error) {
      sending = Promise.reject(error);
    }
    sending.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
