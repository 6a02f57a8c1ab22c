import { prefixed } from "@auth-recipes/core/kit";
import { Webhook } from "standardwebhooks";
import { extendEmulator } from "../emulator/base.ts";
import type { EmulatorResponse, RecordedRequest } from "../emulator/types.ts";
import { startHttpEmulator } from "../http-emulator.ts";
import { webhookDefaults } from "./defaults.ts";
import type {
  WebhookDelivery,
  WebhookReceiverEmulator,
  WebhookReceiverFault,
  WebhookReceiverOptions,
} from "./types.ts";

const HOOK_PATH = "/webhook";
const CHUNK = 64 * 1024;
const DEFAULT_STREAM_BYTES = 50 * 1024 * 1024;

function header(request: RecordedRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** A body of `bytes` zeros in 64 KiB chunks, yielded only as fast as the client takes them. */
async function* zeros(bytes: number, delivery: WebhookDelivery): AsyncGenerator<Uint8Array> {
  const chunk = new Uint8Array(CHUNK);
  try {
    while (delivery.streamedBytes < bytes) {
      const size = Math.min(CHUNK, bytes - delivery.streamedBytes);
      yield size === CHUNK ? chunk : chunk.subarray(0, size);
      // Counted once the stream asked for the next chunk: the socket took this one.
      delivery.streamedBytes += size;
    }
  } finally {
    delivery.streamEndedAt = Date.now();
  }
}

/**
 * Starts a webhook receiver on 127.0.0.1: an endpoint that verifies every POST with the
 * `standardwebhooks` library and its secret (headers `webhook-id`, `webhook-timestamp`,
 * `webhook-signature`; a timestamp within 5 minutes), records it in `deliveries` valid or not, and
 * answers `204` to a valid one, `400` to an invalid one. `respond()` injects the faults a hostile or
 * broken receiver has: any status (with `Retry-After`), a redirect, a body streamed without end, a hang,
 * a connection dropped after the request arrived.
 *
 * @example
 * ```ts
 * const receiver = await startWebhookReceiver();
 * const events = composeEvents([signedWebhook({ url: receiver.hookUrl, secret: receiver.secret })]);
 * await events.createUser!(defaultMessage("createUser"));
 * receiver.accepted()[0]?.type; // "user.created"
 * ```
 */
export async function startWebhookReceiver(
  options: WebhookReceiverOptions = {},
): Promise<WebhookReceiverEmulator> {
  const secret = options.secret ?? webhookDefaults.credentials.webhookSecret;
  let verifier: Webhook;
  try {
    verifier = new Webhook(secret);
  } catch {
    throw new TypeError(prefixed("testing", 'option "secret" must be a "whsec_…" secret'));
  }
  const deliveries: WebhookDelivery[] = [];
  let fault: { fault: WebhookReceiverFault; times: number } | undefined;
  const hung = new Set<() => void>();

  const handle = async (request: RecordedRequest): Promise<EmulatorResponse> => {
    if (request.method !== "POST") {
      return { status: 405, body: { error: "use POST" }, headers: { allow: "POST" } };
    }
    let payload: unknown;
    try {
      payload = JSON.parse(request.body);
    } catch {}
    let invalidReason: string | undefined;
    try {
      verifier.verify(request.body, {
        "webhook-id": header(request, "webhook-id") ?? "",
        "webhook-timestamp": header(request, "webhook-timestamp") ?? "",
        "webhook-signature": header(request, "webhook-signature") ?? "",
      });
    } catch (error) {
      invalidReason = error instanceof Error ? error.message : String(error);
    }
    const stamp = Number(header(request, "webhook-timestamp"));
    const type = (payload as { type?: unknown } | null)?.type;
    const delivery: WebhookDelivery = {
      path: request.path,
      id: header(request, "webhook-id"),
      timestamp: Number.isFinite(stamp) ? stamp : undefined,
      signature: header(request, "webhook-signature"),
      signatureValid: invalidReason === undefined,
      invalidReason,
      userAgent: header(request, "user-agent"),
      contentType: header(request, "content-type"),
      payload,
      body: request.body,
      type: typeof type === "string" ? type : undefined,
      answer: 204,
      streamedBytes: 0,
      streamEndedAt: undefined,
      receivedAt: request.receivedAt,
    };
    deliveries.push(delivery);
    const current = fault && fault.times > 0 ? fault.fault : undefined;
    if (current && fault) fault.times--;
    if (!current) {
      if (invalidReason !== undefined) {
        delivery.answer = 400;
        return { status: 400, body: { error: invalidReason } };
      }
      return { status: 204, body: "" };
    }
    if ("hang" in current) {
      delivery.answer = "hang";
      // Released by reset() or close(); the connection is cut by then.
      await new Promise<void>((release) => hung.add(release));
      return { status: 503, drop: true };
    }
    if ("drop" in current) {
      delivery.answer = "drop";
      return { status: 503, drop: true };
    }
    if ("redirect" in current) {
      const status = current.status ?? 302;
      delivery.answer = status;
      const location =
        current.location ?? new URL("/moved", `http://${header(request, "host")}`).href;
      return { status, body: "", headers: { location } };
    }
    if ("stream" in current) {
      const status = current.status ?? 200;
      delivery.answer = status;
      return { status, body: zeros(current.bytes ?? DEFAULT_STREAM_BYTES, delivery) };
    }
    delivery.answer = current.status;
    return {
      status: current.status,
      body: current.body ?? "",
      ...(current.headers ? { headers: current.headers } : {}),
    };
  };

  const release = () => {
    for (const done of hung) done();
    hung.clear();
  };
  const emulator = await startHttpEmulator(options, handle, () => {
    deliveries.length = 0;
    fault = undefined;
    release();
  });
  const close = emulator.close;
  return extendEmulator(emulator, {
    secret,
    hookUrl: `${emulator.url}${HOOK_PATH}`,
    deliveries,
    accepted() {
      const seen = new Set<string | undefined>();
      return deliveries.filter((delivery) => {
        const ok =
          delivery.signatureValid &&
          typeof delivery.answer === "number" &&
          delivery.answer >= 200 &&
          delivery.answer < 300 &&
          !seen.has(delivery.id);
        if (ok) seen.add(delivery.id);
        return ok;
      });
    },
    respond(next: WebhookReceiverFault, times = 1) {
      if (!(times >= 0))
        throw new RangeError(prefixed("testing", 'respond(): "times" must be ≥ 0'));
      fault = { fault: next, times };
    },
    async close() {
      release();
      await close();
    },
  });
}
