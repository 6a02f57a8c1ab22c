/**
 * One email, as the recipe hands it to an {@link EmailTransport}: the address already checked (one plain
 * address), the subject on one line, the content as `render` returned it.
 */
export interface EmailMessage {
  /** The sender: `"Acme <hello@acme.com>"`, `"hello@acme.com"` or `{ name, address }`. */
  from: string | { name: string; address: string };
  /** The one recipient. */
  to: string;
  subject: string;
  /** The plain-text part. Absent only when `react` is given (the service derives one from the HTML). */
  text?: string;
  html?: string;
  /**
   * A React Email element, for a transport that renders it ({@link EmailTransport.react}). The recipe
   * never hands it to one that does not.
   */
  react?: object;
  replyTo?: string;
  headers?: Record<string, string>;
  /**
   * A Message-ID, the same on every attempt of one dispatch (`<welcome.<dispatchId>@<from's domain>>`).
   * SMTP sends it; an HTTP service that sets its own may ignore it, and should when it compares bodies
   * by idempotency key, as it differs between dispatches.
   */
  messageId?: string;
}

/** What a transport is told besides the email, for one attempt. */
export interface EmailSendOptions {
  /**
   * The same for every attempt, every replayed job and every dispatch about the same user through the
   * same recipe: `welcome-email/<recipe>/<userId>` (each part URI-encoded; a SHA-256 of them when that is
   * longer than 256 characters). A service with idempotency keys sends one email per key.
   */
  idempotencyKey: string;
  /** Aborts when the attempt times out: stop the request, not only the wait. */
  signal: AbortSignal;
  /** When the attempt times out, in ms since the epoch. */
  deadline: number;
}

/** What a transport reports of an accepted email. */
export interface EmailSendResult {
  /** The service's id of the email, where it gives one. */
  id?: string;
}

/**
 * How the welcome email is sent: SMTP (through nodemailer) is built in, and other services come as their
 * own packages (`resendTransport(resend)` from `@auth-recipes/resend`).
 *
 * `sendEmail` sends one email and resolves once the service accepted it, never before: a transport that
 * cannot tell must throw. It fails by throwing an `UpstreamError` (from `@auth-recipes/core/kit`) whose
 * `retryable` says whether another attempt may succeed (for HTTP: 408, 429, 5xx and network errors; a
 * `Retry-After` as `retryAfterMs`) and whose message holds no secret and no address. It stops when
 * `signal` aborts. Anything else it throws is wrapped in a `WelcomeEmailError` by the recipe.
 *
 * @example
 * ```ts
 * const transport: EmailTransport = {
 *   name: "my-service",
 *   async sendEmail(email, { idempotencyKey, signal }) {
 *     const response = await fetch("https://mail.example.com/send", {
 *       method: "POST",
 *       headers: { "idempotency-key": idempotencyKey, "content-type": "application/json" },
 *       body: JSON.stringify(email),
 *       signal,
 *     });
 *     if (!response.ok) {
 *       throw new UpstreamError("my-service", `HTTP ${response.status}`, {
 *         status: response.status,
 *         retryable: response.status === 429 || response.status >= 500,
 *       });
 *     }
 *     return { id: (await response.json()).id };
 *   },
 * };
 * welcomeEmail({ transport, from: "hello@acme.com" });
 * ```
 */
export interface EmailTransport {
  /** The service's name, for messages: `"smtp"`, `"resend"`. */
  readonly name: string;
  /**
   * Whether `sendEmail` takes `react` content (a React Email element) and renders it. When false, a `render`
   * that returns `react` fails with a non-retryable error and nothing is sent.
   * @default false
   */
  readonly react?: boolean;
  /** Sends one email; see {@link EmailTransport}. */
  sendEmail(
    email: EmailMessage,
    options: EmailSendOptions,
  ): Promise<EmailSendResult | undefined | void>;
}

/**
 * Whether `value` is an {@link EmailTransport}: it has `sendEmail`. Neither a nodemailer transporter
 * (`sendMail`) nor a nodemailer transport plugin (`send(mail, callback)`, which `createTransport` takes)
 * has one, so both keep going to nodemailer as before.
 */
export function isEmailTransport(value: unknown): value is EmailTransport {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as { sendEmail?: unknown; sendMail?: unknown };
  return typeof candidate.sendEmail === "function" && typeof candidate.sendMail !== "function";
}
