import { configError, cutText, messageOf } from "@auth-recipes/core/kit";
import type { EmailMessage, EmailSendOptions, EmailTransport } from "@auth-recipes/welcome-email";
import type { Resend } from "resend";
import { isRetryableFailure, retryAfterMs } from "./classify.ts";
import { ResendError } from "./errors.ts";

const PKG = "resend";
// Resend's messages are short; a hostile or broken upstream's are cut before they reach a log.
const MAX_MESSAGE = 300;
// A display name needs quoting when it holds any of RFC 5322's specials.
const SPECIALS = /[()<>[\]:;@\\,."]/;

/** What the transport needs of the SDK's client: `emails.send` as `resend` 6 has it. */
interface ResendLike {
  emails: { send: Resend["emails"]["send"] };
  key?: unknown;
}

/** What the SDK returns: `{ data, error, headers }`, never a throw for an HTTP failure. */
interface SendResult {
  data?: { id?: unknown } | null;
  error?: { statusCode?: unknown; name?: unknown; message?: unknown } | null;
  headers?: Record<string, string> | null;
}

function isClient(value: unknown): value is ResendLike {
  try {
    const emails = (value as { emails?: { send?: unknown } } | null)?.emails;
    return typeof emails?.send === "function";
  } catch {
    return false;
  }
}

/** `Name <address>`, the name quoted when it holds a special character. */
function formatFrom(from: EmailMessage["from"]): string {
  if (typeof from === "string") return from;
  const { name, address } = from;
  if (!name) return address;
  const display = SPECIALS.test(name) ? `"${name.replace(/["\\]/g, "\\$&")}"` : name;
  return `${display} <${address}>`;
}

/** Reads a field of a value the SDK returned, whatever it is (a getter may throw). */
function read<T>(get: () => T): T | undefined {
  try {
    return get();
  } catch {
    return undefined;
  }
}

/** Resend's `{ error }`, or what a throw left, as a classified {@link ResendError}. */
function failure(
  error: SendResult["error"],
  headers: SendResult["headers"],
  secrets: readonly string[],
  cause: unknown,
): ResendError {
  const rawStatus = read(() => error?.statusCode);
  const status =
    typeof rawStatus === "number" && Number.isInteger(rawStatus) && rawStatus >= 100
      ? rawStatus
      : undefined;
  const rawName = read(() => error?.name);
  const name = typeof rawName === "string" ? cutText(rawName, 64) : undefined;
  const rawMessage = read(() => error?.message);
  const detail =
    typeof rawMessage === "string" && rawMessage ? cutText(rawMessage, MAX_MESSAGE) : undefined;
  const retryable = isRetryableFailure(status, name);
  const what = status === undefined ? "no answer" : `HTTP ${status}`;
  const wait = retryable ? retryAfterMs(headers) : undefined;
  return new ResendError(
    PKG,
    `emails.send failed (${what}${name ? `, ${name}` : ""})${detail ? `: ${detail}` : ""}`,
    {
      retryable,
      ...(status === undefined ? {} : { status }),
      ...(name === undefined ? {} : { code: name }),
      ...(wait === undefined ? {} : { retryAfterMs: wait }),
      secrets,
      cause,
    },
  );
}

/**
 * Sends `promise`'s work but settles as soon as `signal` aborts, with its reason: the SDK aborts its
 * fetch on the signal, and this bounds the wait even where a version of it would not.
 */
function bounded<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/**
 * The welcome email's transport over Resend's HTTP API, for `welcomeEmail({ transport, from })` from
 * `@auth-recipes/welcome-email`. Pass the `Resend` client you create with your key; the transport never
 * reads an environment variable.
 *
 * - Every send carries the recipe's idempotency key (`welcome-email/<recipe>/<userId>`) as Resend's
 *   `Idempotency-Key`: a retried attempt, a replayed job and a second createUser for the same user
 *   within Resend's 24 hours send one email.
 * - The SDK returns `{ error }` rather than throwing: every error becomes a {@link ResendError}, retryable
 *   for 408, 429 (with its `Retry-After` as `retryAfterMs`), 5xx and no answer at all, not for other
 *   4xx. Only an answer with an email id counts as sent.
 * - The attempt's signal goes to the SDK's `fetch`, so a timeout aborts the request.
 * - A `render` that returns `react` is rendered by the SDK (install `@react-email/render`).
 * - The API key never appears in an error message.
 *
 * The Message-ID the recipe sets for SMTP is not sent: Resend sets its own, and the key compares bodies,
 * so a value that changes between dispatches would make a second createUser a 409 instead of a replay.
 *
 * @example
 * ```ts
 * import { resendTransport } from "@auth-recipes/resend";
 * import { welcomeEmail } from "@auth-recipes/welcome-email";
 * import { Resend } from "resend";
 *
 * const resend = new Resend(process.env.RESEND_API_KEY);
 * events: composeEvents([
 *   welcomeEmail({ transport: resendTransport(resend), from: "Acme <hello@acme.com>", appName: "Acme" }),
 * ]),
 * ```
 */
export function resendTransport(resend: Resend): EmailTransport {
  if (!isClient(resend)) {
    throw configError(
      PKG,
      "resendTransport takes a Resend client: resendTransport(new Resend(apiKey))",
    );
  }
  const key = read(() => resend.key);
  const secrets = typeof key === "string" && key ? [key] : [];
  const client = resend as ResendLike;

  async function sendEmail(email: EmailMessage, options: EmailSendOptions) {
    const { idempotencyKey, signal } = options;
    const payload: Record<string, unknown> = {
      from: formatFrom(email.from),
      to: email.to,
      subject: email.subject,
    };
    if (email.react !== undefined) payload.react = email.react;
    if (email.html !== undefined) payload.html = email.html;
    if (email.text !== undefined) payload.text = email.text;
    if (email.replyTo !== undefined) payload.replyTo = email.replyTo;
    if (email.headers !== undefined) payload.headers = { ...email.headers };

    let result: SendResult;
    try {
      result = await bounded(
        Promise.resolve(
          client.emails.send(payload as never, { idempotencyKey, signal }),
        ) as Promise<SendResult>,
        signal,
      );
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      // The SDK throws only before the request: rendering `react` failed (a component that throws, or
      // @react-email/render not installed). Another attempt renders the same way.
      throw new ResendError(
        PKG,
        `emails.send threw before sending: ${cutText(messageOf(error), MAX_MESSAGE)}`,
        {
          retryable: false,
          secrets,
          cause: error,
        },
      );
    }
    if (signal.aborted) throw signal.reason;
    const error = read(() => result?.error);
    const headers = read(() => result?.headers);
    if (error) throw failure(error, headers, secrets, result);
    const id = read(() => result?.data?.id);
    if (typeof id !== "string" || !id) {
      // Nothing is reported sent that Resend did not confirm; a retry under the same key is safe.
      throw new ResendError(PKG, "emails.send answered without an email id", {
        retryable: true,
        secrets,
        cause: result,
      });
    }
    return { id };
  }

  return { name: "resend", react: true, sendEmail };
}
