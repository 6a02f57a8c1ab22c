import { configRangeError } from "@auth-recipes/core/kit";
import { InvalidWebhookError, type InvalidWebhookReason } from "./errors.ts";
import type { WebhookPayload } from "./payload.ts";
import { signerFor } from "./secret.ts";

/** Options for {@link verifyWebhook}. */
export interface VerifyWebhookOptions {
  /**
   * The largest body read, in bytes: a longer one is refused (`too-large`) without reading the rest.
   * A delivery of this package is a few hundred bytes.
   * @default 65536
   */
  maxBytes?: number;
}

const DEFAULT_MAX_BYTES = 64 * 1024;

/** The body, read up to `max` bytes; undefined when it is longer. */
async function bodyOf(request: Request, max: number): Promise<Uint8Array | undefined> {
  const declared = Number(request.headers.get("content-length"));
  if (declared > max) {
    await request.body?.cancel().catch(() => {});
    return undefined;
  }
  const reader = request.body?.getReader();
  if (!reader) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

/** The library's verification failure, by its message (it has no codes). */
function reasonOf(error: unknown): [InvalidWebhookReason, string] {
  const text = error instanceof Error ? error.message : "";
  if (/too old/i.test(text)) {
    return [
      "too-old",
      "the webhook-timestamp is more than 5 minutes old: a replay or a stale retry",
    ];
  }
  if (/too new/i.test(text)) {
    return ["too-new", "the webhook-timestamp is more than 5 minutes in the future"];
  }
  return ["bad-signature", "no webhook-signature matches the body with this secret"];
}

function isPayload(value: unknown): value is WebhookPayload {
  const payload = value as Partial<WebhookPayload> | null;
  return (
    typeof payload === "object" &&
    payload !== null &&
    typeof payload.type === "string" &&
    typeof payload.timestamp === "string" &&
    typeof payload.data?.user?.id === "string"
  );
}

/**
 * Verifies a delivery on the receiving side, with the `standardwebhooks` library, and returns its
 * payload: a `Request` as a Next.js route handler, Hono, Bun or Deno gives it (in plain Node, build one
 * from the incoming message). It reads the body itself (do not read it first), at most `maxBytes`.
 *
 * Throws an {@link InvalidWebhookError} (answer 400 and do nothing) when a header is missing, no
 * signature matches (a wrong secret, an altered body, id or timestamp), the timestamp is more than 5
 * minutes old (a replayed or expired request) or ahead, the body is too large, or it is not a payload.
 * Within those 5 minutes the same delivery may arrive again (a retry after a lost answer): dedupe on
 * the `webhook-id` header. Throws a `TypeError` for a malformed secret.
 *
 * @example
 * ```ts
 * // app/api/auth-webhook/route.ts
 * import { InvalidWebhookError, verifyWebhook } from "@auth-recipes/webhook";
 *
 * export async function POST(request: Request) {
 *   try {
 *     const payload = await verifyWebhook(request, process.env.WEBHOOK_SECRET!);
 *     if (payload.type === "user.created") console.log("new user", payload.data.user.id);
 *     return new Response(null, { status: 204 });
 *   } catch (error) {
 *     if (error instanceof InvalidWebhookError) return new Response(null, { status: 400 });
 *     throw error;
 *   }
 * }
 * ```
 */
export async function verifyWebhook(
  request: Request,
  secret: string,
  options: VerifyWebhookOptions = {},
): Promise<WebhookPayload> {
  const signer = signerFor(secret);
  const max = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (!(max > 0)) throw configRangeError("webhook", 'option "maxBytes" must be positive');
  const headers = {
    "webhook-id": request.headers.get("webhook-id") ?? "",
    "webhook-timestamp": request.headers.get("webhook-timestamp") ?? "",
    "webhook-signature": request.headers.get("webhook-signature") ?? "",
  };
  if (!headers["webhook-id"] || !headers["webhook-timestamp"] || !headers["webhook-signature"]) {
    await request.body?.cancel().catch(() => {});
    throw new InvalidWebhookError(
      "missing-headers",
      "the request lacks webhook-id, webhook-timestamp or webhook-signature",
    );
  }
  const body = await bodyOf(request, max);
  if (!body) {
    throw new InvalidWebhookError("too-large", `the body is larger than ${max} bytes`);
  }
  try {
    signer.verify(body, headers, { jsonParse: false });
  } catch (error) {
    const [reason, message] = reasonOf(error);
    throw new InvalidWebhookError(reason, message);
  }
  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder().decode(body));
  } catch {
    throw new InvalidWebhookError("bad-payload", "the signed body is not JSON");
  }
  if (!isPayload(payload)) {
    throw new InvalidWebhookError(
      "bad-payload",
      "the signed body is not a webhook payload ({ type, timestamp, data: { user } })",
    );
  }
  return payload;
}
