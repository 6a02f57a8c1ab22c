/** The codes nodemailer gives failures to reach or keep the server: worth another attempt. */
const TRANSIENT_CODES = new Set(["ESOCKET", "ECONNECTION", "ETIMEDOUT", "EDNS", "EABORT"]);
const NETWORK_CODE =
  /^(ECONN(RESET|REFUSED|ABORTED)|ETIMEDOUT|EPIPE|EAI_AGAIN|ENOTFOUND|E(NET|HOST)UNREACH)$/;
// Email addresses and anything with user:password@ (a connection URL).
const ADDRESS = /[^\s<>"'(]+@[^\s<>"')]+/g;
const CONTROL = /\p{Cc}+/gu;
const MAX_DETAIL = 300;

/**
 * Sending the welcome email failed. The message quotes the SMTP reply with every email address and the
 * SMTP password removed; the original error is not kept, as its message and fields carry both.
 */
export class WelcomeEmailError extends Error {
  override name = "WelcomeEmailError";
  /** nodemailer's error code: `EENVELOPE`, `EMESSAGE`, `EAUTH`, `ESOCKET`, `ETIMEDOUT`, … */
  declare readonly code: string | undefined;
  /** The SMTP reply code, when the server answered: 4xx is transient, 5xx permanent. */
  declare readonly responseCode: number | undefined;
  /** The SMTP command that failed, such as `RCPT TO` or `DATA`. */
  declare readonly command: string | undefined;
  /**
   * Whether another attempt may succeed: true for 4xx replies (whatever the code, `EENVELOPE` included)
   * and connection failures, false for 5xx replies and the rest. Core's `isRetryable` reads it.
   */
  declare readonly retryable: boolean;

  constructor(
    message: string,
    fields: {
      code: string | undefined;
      responseCode: number | undefined;
      command: string | undefined;
      retryable: boolean;
    },
  ) {
    super(message);
    Object.assign(this, fields);
  }
}

function field<T>(error: unknown, key: string, type: "string" | "number"): T | undefined {
  const value =
    typeof error === "object" && error !== null
      ? (error as Record<string, unknown>)[key]
      : undefined;
  return typeof value === type ? (value as T) : undefined;
}

/** Whether a nodemailer failure is worth another attempt. */
export function isTransient(
  code: string | undefined,
  responseCode: number | undefined,
  originalCode?: string,
): boolean {
  if (responseCode !== undefined && responseCode >= 400 && responseCode < 600)
    return responseCode < 500;
  return (
    (code !== undefined && (TRANSIENT_CODES.has(code) || NETWORK_CODE.test(code))) ||
    (originalCode !== undefined && NETWORK_CODE.test(originalCode))
  );
}

/** Removes addresses, the given secrets and control characters from a text, and shortens it. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 3) out = out.split(secret).join("[redacted]");
  out = out.replace(ADDRESS, "[redacted]").replace(CONTROL, " ").trim();
  return out.length > MAX_DETAIL ? `${out.slice(0, MAX_DETAIL)}…` : out;
}

/** Describes a `sendMail` failure as a {@link WelcomeEmailError}, classified, with nothing secret in it. */
export function sendError(error: unknown, secrets: readonly string[]): WelcomeEmailError {
  const code = field<string>(error, "code", "string");
  const responseCode = field<number>(error, "responseCode", "number");
  const command = field<string>(error, "command", "string");
  const originalCode = field<string>(error, "originalCode", "string");
  let detail: string;
  try {
    detail = scrub(error instanceof Error ? error.message : String(error), secrets);
  } catch {
    detail = "(unprintable)";
  }
  const what = [code, responseCode && `SMTP ${responseCode}`, command && `at ${command}`]
    .filter(Boolean)
    .join(", ");
  return new WelcomeEmailError(
    `[auth-recipes/welcome-email] sending failed${what ? ` (${what})` : ""}: ${detail}`,
    { code, responseCode, command, retryable: isTransient(code, responseCode, originalCode) },
  );
}
