import { randomUUID } from "node:crypto";
import { prefixed } from "@auth-recipes/core/kit";
import { extendEmulator } from "../emulator/base.ts";
import type { EmulatorResponse, RecordedRequest } from "../emulator/types.ts";
import { startHttpEmulator } from "../http-emulator.ts";
import { resendDefaults } from "./defaults.ts";
import type {
  ResendApiOptions,
  ResendEmailRecord,
  ResendEmulator,
  ResendFailOptions,
} from "./types.ts";

// Resend keeps a key for 24 hours; the emulator keeps it until reset(), which is longer than any test.
const MAX_KEY = 256;
const MAX_RECIPIENTS = 50;
// `email@example.com` or `Name <email@example.com>` (the name optionally quoted), as Resend's messages say.
const BARE = /^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;.]+$/;
const NAMED =
  /^(?:"(?:[^"\\\r\n]|\\.)*"|[^<>"\r\n]*)\s*<([^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;.]+)>$/;
const ADDRESS_FORMAT =
  "The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.";

/** Resend's error shape: `{ statusCode, message, name }`. */
function error(statusCode: number, name: string, message: string): EmulatorResponse {
  return { status: statusCode, body: { statusCode, message, name } };
}

function isAddress(value: unknown): boolean {
  return typeof value === "string" && (BARE.test(value.trim()) || NAMED.test(value.trim()));
}

/** A field that takes one address or a list: the list, or `undefined` when it is neither. */
function addresses(value: unknown): string[] | undefined {
  if (typeof value === "string") return [value];
  if (Array.isArray(value) && value.every((item) => typeof item === "string")) return value;
  return undefined;
}

/** Sorts object keys, so that the same body in another key order is the same request. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item && typeof item === "object" && !Array.isArray(item)
      ? Object.fromEntries(
          Object.entries(item as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
        )
      : item,
  );
}

/** Checks a `POST /emails` body as Resend does; returns the 422 it would answer, or the email. */
function validate(
  body: Record<string, unknown>,
): EmulatorResponse | Omit<ResendEmailRecord, "id" | "created_at"> {
  for (const field of ["from", "to", "subject"] as const) {
    if (body[field] === undefined || body[field] === null || body[field] === "") {
      return error(422, "missing_required_field", `Missing \`${field}\` field.`);
    }
  }
  if (!isAddress(body.from)) {
    return error(422, "invalid_from_address", `Invalid \`from\` field. ${ADDRESS_FORMAT}`);
  }
  const lists: Record<"to" | "cc" | "bcc" | "reply_to", string[] | undefined> = {
    to: undefined,
    cc: undefined,
    bcc: undefined,
    reply_to: undefined,
  };
  for (const field of ["to", "cc", "bcc", "reply_to"] as const) {
    if (body[field] === undefined || body[field] === null) continue;
    const list = addresses(body[field]);
    if (!list?.every(isAddress)) {
      return error(422, "validation_error", `Invalid \`${field}\` field. ${ADDRESS_FORMAT}`);
    }
    lists[field] = list;
  }
  if ((lists.to?.length ?? 0) > MAX_RECIPIENTS) {
    return error(
      422,
      "validation_error",
      `Too many recipients: at most ${MAX_RECIPIENTS} in \`to\`.`,
    );
  }
  if (typeof body.subject !== "string") {
    return error(422, "validation_error", "Invalid `subject` field: a string is expected.");
  }
  for (const field of ["html", "text"] as const) {
    if (body[field] !== undefined && body[field] !== null && typeof body[field] !== "string") {
      return error(422, "validation_error", `Invalid \`${field}\` field: a string is expected.`);
    }
  }
  if (typeof body.html !== "string" && typeof body.text !== "string") {
    return error(422, "validation_error", "Missing `html` or `text` field.");
  }
  if (body.headers !== undefined && body.headers !== null) {
    const headers = body.headers;
    if (
      typeof headers !== "object" ||
      Array.isArray(headers) ||
      !Object.values(headers).every((value) => typeof value === "string" && !/[\r\n]/.test(value))
    ) {
      return error(
        422,
        "validation_error",
        "Invalid `headers` field: an object of one-line strings.",
      );
    }
  }
  const email: Omit<ResendEmailRecord, "id" | "created_at"> = {
    from: body.from as string,
    to: lists.to as string[],
    subject: body.subject,
  };
  if (typeof body.html === "string") email.html = body.html;
  if (typeof body.text === "string") email.text = body.text;
  if (lists.cc) email.cc = lists.cc;
  if (lists.bcc) email.bcc = lists.bcc;
  if (lists.reply_to) email.reply_to = lists.reply_to;
  if (body.headers) email.headers = { ...(body.headers as Record<string, string>) };
  if (Array.isArray(body.tags)) email.tags = body.tags as ResendEmailRecord["tags"];
  if (typeof body.scheduled_at === "string") email.scheduled_at = body.scheduled_at;
  return email;
}

/** The 401 or 403 Resend answers for the request's credentials, or `undefined` when they are right. */
function authenticate(
  authorization: string | undefined,
  apiKey: string,
): EmulatorResponse | undefined {
  const [scheme, key] = (authorization ?? "").split(" ", 2);
  if (scheme?.toLowerCase() !== "bearer" || !key) {
    return error(
      401,
      "missing_api_key",
      "Missing API key in the authorization header. Include the following header in your request: Authorization: Bearer YOUR_API_KEY",
    );
  }
  return key === apiKey ? undefined : error(403, "invalid_api_key", "API key is invalid");
}

/** The name Resend gives an error of this status, for injected failures. */
function nameOf(status: number): string {
  if (status === 429) return "rate_limit_exceeded";
  if (status >= 500) return "internal_server_error";
  if (status === 422) return "validation_error";
  if (status === 409) return "concurrent_idempotent_requests";
  return "application_error";
}

/**
 * Starts an emulator of Resend's `POST /emails` on 127.0.0.1, for the real `resend` SDK
 * (`new Resend(emulator.apiKey, emulator.clientOptions)`, which sets its `baseUrl`).
 *
 * It checks the Bearer key (401 `missing_api_key`, 403 `invalid_api_key`), validates the body as Resend
 * does (422 `missing_required_field`, `invalid_from_address`, `validation_error`), keeps Resend's
 * `Idempotency-Key` rules (the same key and the same body answer the first response again and send
 * nothing; the same key with another body is a 409 `invalid_idempotent_request`; a key longer than 256
 * characters is a 400 `invalid_idempotency_key`), and answers errors in Resend's shape
 * `{ statusCode, message, name }`. Besides every emulator's faults, `dropAfterStoring()` sends an email
 * and cuts the connection before answering.
 *
 * @example
 * ```ts
 * const emulator = await startResendApi();
 * const resend = new Resend(emulator.apiKey, emulator.clientOptions);
 * await resend.emails.send({ from: "a@acme.test", to: "b@example.test", subject: "Hi", text: "Hi" });
 * emulator.emails.length; // 1
 * ```
 */
export async function startResendApi(options: ResendApiOptions = {}): Promise<ResendEmulator> {
  const apiKey = options.apiKey ?? resendDefaults.credentials.resendApiKey;
  const emails: ResendEmailRecord[] = [];
  const saved = new Map<string, { fingerprint: string; response: EmulatorResponse }>();
  let drops = 0;

  const handle = (request: RecordedRequest): EmulatorResponse => {
    const refused = authenticate(request.headers.authorization, apiKey);
    if (refused) return refused;
    const path = request.path.split("?")[0];
    if (path !== "/emails")
      return error(404, "not_found", "The requested endpoint does not exist.");
    if (request.method.toUpperCase() !== "POST") {
      return error(405, "method_not_allowed", "Method is not allowed for the requested path.");
    }
    let body: unknown;
    try {
      body = JSON.parse(request.body);
    } catch {
      return error(422, "validation_error", "Invalid JSON body.");
    }
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      return error(422, "validation_error", "The body must be a JSON object.");
    }
    const header = request.headers["idempotency-key"];
    const key = typeof header === "string" ? header : undefined;
    if (key !== undefined && (key.length < 1 || key.length > MAX_KEY)) {
      return error(400, "invalid_idempotency_key", "The key must be between 1-256 chars.");
    }
    const fingerprint = canonical(body);
    if (key !== undefined) {
      const earlier = saved.get(key);
      if (earlier && earlier.fingerprint !== fingerprint) {
        return error(
          409,
          "invalid_idempotent_request",
          "Same idempotency key used with a different request payload. Change your idempotency key or payload.",
        );
      }
      if (earlier) return earlier.response;
    }
    const checked = validate(body as Record<string, unknown>);
    if ("status" in checked) return checked;
    const record: ResendEmailRecord = {
      id: randomUUID(),
      ...checked,
      created_at: new Date().toISOString(),
    };
    if (key !== undefined) record.idempotencyKey = key;
    emails.push(record);
    const response: EmulatorResponse = { status: 200, body: { id: record.id } };
    // Only an accepted email is kept by key: a request refused by validation can be sent again fixed.
    if (key !== undefined) saved.set(key, { fingerprint, response });
    if (drops > 0) {
      drops--;
      return { ...response, drop: true };
    }
    return response;
  };

  const emulator = await startHttpEmulator(options, handle, () => {
    emails.length = 0;
    saved.clear();
    drops = 0;
  });
  const baseFail = emulator.fail;
  return extendEmulator(emulator, {
    apiKey,
    clientOptions: { baseUrl: emulator.url },
    emails,
    fail(fail: ResendFailOptions = {}) {
      const status = fail.status ?? 500;
      baseFail({
        ...fail,
        status,
        body: fail.body ?? {
          statusCode: status,
          message: "injected failure",
          name: nameOf(status),
        },
        headers: status === 429 ? { "retry-after": "1", ...fail.headers } : fail.headers,
      });
    },
    dropAfterStoring(times = 1) {
      if (!(times >= 0)) {
        throw new RangeError(prefixed("testing", 'dropAfterStoring(): "times" must be ≥ 0'));
      }
      drops = times;
    },
  });
}
