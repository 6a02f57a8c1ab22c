import { isNetworkError, messageOf, UpstreamError } from "@auth-recipes/core/kit";

/** The codes nodemailer gives failures to reach or keep the server: worth another attempt. */
const TRANSIENT_CODES = new Set(["ESOCKET", "ECONNECTION", "ETIMEDOUT", "EDNS", "EABORT"]);

/**
 * Sending the welcome email failed. The message reads `[auth-recipes/welcome-email] …` and quotes the
 * SMTP reply redacted by the kit: every email address and the SMTP password removed, on one line. The
 * original error, whose message and fields (`rejected`, the envelope, the raw reply) carry both, is kept
 * only as the non-enumerable `unsafeCause`, which no logger prints.
 */
export class WelcomeEmailError extends UpstreamError {
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
      secrets?: readonly string[];
      cause?: unknown;
    },
  ) {
    const { secrets, cause, ...rest } = fields;
    super("welcome-email", message, { retryable: rest.retryable, code: rest.code, secrets, cause });
    // Always present, as before the kit: undefined when nodemailer gave none.
    Object.assign(this, {
      code: rest.code,
      responseCode: rest.responseCode,
      command: rest.command,
      retryable: rest.retryable,
    });
  }
}

function field<T>(error: unknown, key: string, type: "string" | "number"): T | undefined {
  try {
    const value =
      typeof error === "object" && error !== null
        ? (error as Record<string, unknown>)[key]
        : undefined;
    return typeof value === type ? (value as T) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a nodemailer failure is worth another attempt. */
function isTransient(error: unknown, code: string | undefined, responseCode: number | undefined) {
  if (responseCode !== undefined && responseCode >= 400 && responseCode < 600) {
    return responseCode < 500;
  }
  const originalCode = field<string>(error, "originalCode", "string");
  return (
    (code !== undefined && TRANSIENT_CODES.has(code)) ||
    isNetworkError(error) ||
    isNetworkError({ code: originalCode })
  );
}

/** Describes a `sendMail` failure as a {@link WelcomeEmailError}, classified, with nothing secret in it. */
export function sendError(error: unknown, secrets: readonly string[]): WelcomeEmailError {
  const code = field<string>(error, "code", "string");
  const responseCode = field<number>(error, "responseCode", "number");
  const command = field<string>(error, "command", "string");
  const what = [code, responseCode && `SMTP ${responseCode}`, command && `at ${command}`]
    .filter(Boolean)
    .join(", ");
  return new WelcomeEmailError(`sending failed${what ? ` (${what})` : ""}: ${messageOf(error)}`, {
    code,
    responseCode,
    command,
    retryable: isTransient(error, code, responseCode),
    secrets,
    cause: error,
  });
}
