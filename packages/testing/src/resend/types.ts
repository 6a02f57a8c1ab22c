import type { Emulator, EmulatorOptions, FailOptions } from "../emulator/types.ts";

/** Options for {@link startResendApi}. */
export interface ResendApiOptions extends EmulatorOptions {
  /**
   * The one API key the emulator accepts, as `Authorization: Bearer …` (what the SDK sends). No key is
   * answered with a 401 `missing_api_key`, another key with a 403 `invalid_api_key`.
   * @default "re_emulator_key"
   */
  apiKey?: string;
}

/** An email the emulator accepted, once per idempotency key, with the fields of Resend's API. */
export interface ResendEmailRecord {
  /** The id the emulator answered (a UUID, as Resend's). */
  id: string;
  from: string;
  /** The recipients, as given (a string is made a one-element list). */
  to: string[];
  subject: string;
  html?: string;
  text?: string;
  cc?: string[];
  bcc?: string[];
  reply_to?: string[];
  headers?: Record<string, string>;
  tags?: Array<{ name: string; value: string }>;
  scheduled_at?: string;
  /** The `Idempotency-Key` it was sent with, if any. */
  idempotencyKey?: string;
  /** When it was accepted, ISO 8601. */
  created_at: string;
}

/** The options that point the `resend` SDK at the emulator: `new Resend(emulator.apiKey, emulator.clientOptions)`. */
export interface ResendClientOptions {
  /** The emulator's URL, such as `http://127.0.0.1:4040`: the SDK posts to `<baseUrl>/emails`. */
  baseUrl: string;
}

/** Options for {@link ResendEmulator.fail}: as every emulator's, with Resend's error body by default. */
export type ResendFailOptions = FailOptions;

/** What {@link startResendApi} returns: Resend's `POST /emails` on 127.0.0.1. */
export interface ResendEmulator extends Emulator {
  /** The API key the emulator accepts. */
  apiKey: string;
  /** `{ baseUrl }`: `new Resend(emulator.apiKey, emulator.clientOptions)`. */
  clientOptions: ResendClientOptions;
  /**
   * Every email accepted, oldest first: a request replayed by idempotency key adds none. What the
   * conformance suite counts as effects.
   */
  emails: ResendEmailRecord[];
  /**
   * Fail the next `times` requests with `status` (default 500), before the service sees them, answered
   * in Resend's error shape `{ statusCode, message, name }` unless `body` is given. A 429 carries
   * `Retry-After: 1` unless `headers` say otherwise.
   */
  fail(options?: ResendFailOptions): void;
  /**
   * Accept (and store) the next `times` valid emails, then cut the connection without answering: the
   * client sees a network error although the email was sent. A retry with the same `Idempotency-Key`
   * is answered the first response, and sends nothing more.
   * @default times 1
   */
  dropAfterStoring(times?: number): void;
}
