import type { Emulator, EmulatorOptions } from "../emulator/types.ts";

/** Options for {@link startWebhookReceiver}. */
export interface WebhookReceiverOptions extends EmulatorOptions {
  /**
   * The Standard Webhooks secret every request is verified with.
   * @default EMULATOR_DEFAULTS.webhookSecret ("whsec_YXV0aC1yZWNpcGVzIHdlYmhvb2sga2V5")
   */
  secret?: string;
}

/**
 * How the receiver answers the next deliveries, instead of `204`: a status (with headers, such as
 * `Retry-After`), a redirect, a body streamed without end, a hang, or a dropped connection. The
 * delivery is received, verified and recorded first in every case.
 */
export type WebhookReceiverFault =
  /** Answer this status, with these headers and body. */
  | { status: number; headers?: Record<string, string>; body?: unknown }
  /** Answer a redirect (302 unless given) to `location` (the receiver's own `/moved` unless given). */
  | { redirect: true; status?: number; location?: string }
  /**
   * Answer `status` (200 unless given) with a body of `bytes` bytes (50 MB unless given), streamed in
   * 64 KiB chunks as fast as the client reads; {@link WebhookDelivery.streamedBytes} counts what it took.
   */
  | { stream: true; bytes?: number; status?: number }
  /** Never answer, until `reset()`, `down()` or `close()`. */
  | { hang: true }
  /** Close the connection without answering: the request arrived, the answer is lost. */
  | { drop: true };

/** One request to the receiver as it verified and answered it. */
export interface WebhookDelivery {
  /** The request's path. */
  path: string;
  /** The `webhook-id` header: a receiver dedupes on it. */
  id: string | undefined;
  /** The `webhook-timestamp` header, in Unix seconds. */
  timestamp: number | undefined;
  /** The `webhook-signature` header. */
  signature: string | undefined;
  /** Whether `standardwebhooks` verified it with the receiver's secret (timestamp within 5 minutes). */
  signatureValid: boolean;
  /** Why verification failed, as the library said it; undefined when valid. */
  invalidReason: string | undefined;
  /** The `user-agent` header. */
  userAgent: string | undefined;
  /** The `content-type` header. */
  contentType: string | undefined;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  payload: unknown;
  /** The raw body. */
  body: string;
  /** The payload's `type`, when it has one. */
  type: string | undefined;
  /** What the receiver answered: a status, or the fault that kept it from answering normally. */
  answer: number | "hang" | "drop";
  /** For a streamed answer: the bytes the client had taken (the socket accepted) so far. */
  streamedBytes: number;
  /** For a streamed answer: when the stream ended (the client went away or it was all sent), in ms since the epoch. */
  streamEndedAt: number | undefined;
  /** When the request arrived, in ms since the epoch. */
  receivedAt: number;
}

/** What {@link startWebhookReceiver} returns: an endpoint that verifies Standard Webhooks. */
export interface WebhookReceiverEmulator extends Emulator {
  /** The secret the receiver verifies with. */
  secret: string;
  /** The endpoint to deliver to: `<url>/webhook` (any POST path is received alike). */
  hookUrl: string;
  /** Every POST received, valid or not, answered or not, in order. */
  deliveries: WebhookDelivery[];
  /**
   * The deliveries a receiver would act on: signature valid, answered 2xx, the first of each
   * `webhook-id`. A retried delivery that arrived twice appears once.
   */
  accepted(): WebhookDelivery[];
  /**
   * Answer the next `times` deliveries (1 unless given; `Infinity` for all until `reset()`) with a fault
   * instead of `204`. Unlike `fail()`, which answers before the service sees a request, the delivery is
   * verified and recorded first.
   */
  respond(fault: WebhookReceiverFault, times?: number): void;
}
