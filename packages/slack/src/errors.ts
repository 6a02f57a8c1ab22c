import { isRetryable } from "@auth-recipes/core";
import { causeChain, messageOf, UpstreamError } from "@auth-recipes/core/kit";

/** What kind of failure a {@link SlackNotifyError} reports. */
export type SlackFailure = "platform" | "http" | "rate_limited" | "network" | "timeout" | "other";

/**
 * Why posting to Slack failed: the error a `slackNotify` handler throws, which `onError` receives as
 * the `cause` of a `RecipeError`. Its message reads `[auth-recipes/slack] …` and never holds the token
 * or an email address; the SDK's error is kept as the non-enumerable `unsafeCause`, which no logger prints.
 */
export class SlackNotifyError extends UpstreamError {
  override name = "SlackNotifyError";
  /** What kind of failure this is. */
  declare readonly kind: SlackFailure;
  /**
   * Whether another attempt may succeed, read by core's `isRetryable`: false for Slack's `ok: false`
   * answers (a missing channel or a bad token stays so), true for rate limits, 5xx and network errors.
   */
  declare readonly retryable: boolean;
  /** Slack's error code when it answered `ok: false`, such as `channel_not_found`. */
  declare readonly slackError?: string;
  /** The HTTP status, for an HTTP error or a rate limit (also as `status`). */
  declare readonly statusCode?: number;
  /** Seconds Slack asked to wait, for a rate limit that said so. */
  declare readonly retryAfter?: number;
  /**
   * The same wait in ms, the field core's retry reads: another attempt waits at least that long,
   * within the deadline and `maxDelayMs`.
   */
  declare readonly retryAfterMs?: number;
  constructor(
    message: string,
    fields: {
      kind: SlackFailure;
      retryable: boolean;
      slackError?: string;
      statusCode?: number;
      retryAfter?: number;
      retryAfterMs?: number;
      cause: unknown;
      secrets?: readonly string[];
    },
  ) {
    const { cause, secrets, retryable, retryAfterMs, statusCode, ...rest } = fields;
    super("slack", message, { cause, secrets, retryable, retryAfterMs, status: statusCode });
    Object.assign(this, rest, statusCode === undefined ? {} : { statusCode });
  }
}

// Slack's `ok: false` codes that mean "try later" rather than "this request is wrong"; each is answered
// before anything is posted, so a retry cannot post twice.
const TRANSIENT = new Set(["ratelimited", "service_unavailable"]);

// What the SDK throws (by its `code`, not `instanceof`, so that a second copy of the SDK still matches).
const PLATFORM = "slack_webapi_platform_error";
const HTTP = "slack_webapi_http_error";
const RATE_LIMITED = "slack_webapi_rate_limited_error";
const REQUEST = "slack_webapi_request_error";

const RATE_LIMIT_MESSAGE =
  /^(A rate limit was exceeded|Retry header did not contain a valid timeout)/;

const HINTS: Record<string, string> = {
  channel_not_found: "check the channel; a private channel needs the app invited",
  not_in_channel: "invite the app to the channel",
  invalid_auth: "check the token",
  not_authed: "the client has no token",
  token_revoked: "the token was revoked",
  missing_scope: "the token needs the chat:write scope",
};

/** The first network error code (`ECONNREFUSED`, `UND_ERR_SOCKET`, …) in a cause chain. */
function networkCode(error: unknown): string | undefined {
  for (const link of causeChain(error)) {
    const { code } = link as { code?: unknown };
    if (typeof code === "string" && /^[A-Z][A-Z0-9_]{2,40}$/.test(code)) return code;
  }
  return undefined;
}

/**
 * Turns whatever `chat.postMessage` threw into a {@link SlackNotifyError} marked retryable or not, with
 * a message of our own that cannot carry the token: it quotes only Slack's error code or, for network and
 * unknown errors, the original message with the token cut out.
 */
export function toSlackNotifyError(error: unknown, token: string | undefined): SlackNotifyError {
  // Removed from every message wherever it appears, as the kit's redact does.
  const secrets = token ? [token] : [];
  const prefix = "chat.postMessage";
  const e = (typeof error === "object" && error !== null ? error : {}) as Record<string, unknown>;

  if (e.code === PLATFORM) {
    const raw = (e.data as { error?: unknown } | undefined)?.error;
    // Slack's codes are short snake_case words; anything else is not quoted.
    const slackError = typeof raw === "string" && /^\w{1,64}$/.test(raw) ? raw : "unknown_error";
    const hint = HINTS[slackError];
    return new SlackNotifyError(
      `${prefix} failed: Slack answered ${slackError}${hint ? ` (${hint})` : ""}`,
      { kind: "platform", retryable: TRANSIENT.has(slackError), slackError, cause: error, secrets },
    );
  }
  if (e.code === HTTP && typeof e.statusCode === "number") {
    const statusCode = e.statusCode;
    return new SlackNotifyError(`${prefix} failed: Slack answered HTTP ${statusCode}`, {
      kind: "http",
      retryable: isRetryable({ status: statusCode }),
      statusCode,
      cause: error,
      secrets,
    });
  }
  // A 429 with rejectRateLimitedCalls; or, once the client's own retries are spent, the plain errors it
  // throws after waiting out Retry-After (wrapped in a request error) or on a 429 without Retry-After.
  const message = messageOf(error);
  const original = e.code === REQUEST ? (e.original as { name?: unknown } | undefined) : undefined;
  const limited = RATE_LIMIT_MESSAGE.test(original ? messageOf(original) : message);
  if (e.code === RATE_LIMITED || limited) {
    const retryAfter =
      typeof e.retryAfter === "number"
        ? e.retryAfter
        : Number(/retry-after: (\d+)/.exec(messageOf(original ?? error))?.[1] ?? Number.NaN);
    const known = Number.isFinite(retryAfter);
    return new SlackNotifyError(
      `${prefix} was rate-limited by Slack${known ? ` (retry after ${retryAfter} s)` : ""}`,
      {
        kind: "rate_limited",
        retryable: true,
        statusCode: 429,
        ...(known ? { retryAfter, retryAfterMs: retryAfter * 1000 } : {}),
        cause: error,
        secrets,
      },
    );
  }
  if (e.code === REQUEST) {
    // The client's `timeout` aborts with a TimeoutError.
    if (original?.name === "TimeoutError") {
      return new SlackNotifyError(`${prefix} timed out (the WebClient's timeout)`, {
        kind: "timeout",
        retryable: true,
        cause: error,
        secrets,
      });
    }
    const code = networkCode(original);
    const detail = code ? ` (${code})` : `: ${messageOf(original ?? error)}`;
    return new SlackNotifyError(`${prefix} could not reach Slack${detail}`, {
      kind: "network",
      retryable: true,
      cause: error,
      secrets,
    });
  }
  return new SlackNotifyError(`${prefix} failed: ${message}`, {
    kind: "other",
    retryable: isRetryable(error),
    cause: error,
    secrets,
  });
}
