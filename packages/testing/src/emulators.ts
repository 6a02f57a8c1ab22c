import type { RecordedRequest } from "./emulator/types.ts";
import { startResendApi } from "./resend/api.ts";
import type { ResendApiOptions, ResendEmailRecord, ResendEmulator } from "./resend/types.ts";
import {
  type SegmentApiOptions,
  type SegmentBatch,
  type SegmentEmulator,
  type SegmentMessage,
  startSegmentApi,
} from "./segment.ts";
import { startSlackApi } from "./slack/api.ts";
import type { SlackApiOptions, SlackEmulator, SlackMessage } from "./slack/types.ts";
import { startSmtpServer } from "./smtp/server.ts";
import type { ReceivedMail, SmtpEmulator, SmtpRequest, SmtpServerOptions } from "./smtp/types.ts";
import { startStripeApi } from "./stripe/api.ts";
import type { StripeApiOptions, StripeCustomerRecord, StripeEmulator } from "./stripe/types.ts";

/** Options for {@link startEmulators}: each emulator's own options, and a host for all of them. */
export interface StartEmulatorsOptions {
  /**
   * The address every emulator listens on (an emulator's own `host` wins). Keep it on loopback.
   * @default "127.0.0.1"
   */
  host?: string;
  /** Options of the SMTP emulator ({@link startSmtpServer}). */
  smtp?: SmtpServerOptions;
  /** Options of the Slack emulator ({@link startSlackApi}). */
  slack?: SlackApiOptions;
  /** Options of the Stripe emulator ({@link startStripeApi}). */
  stripe?: StripeApiOptions;
  /** Options of the Segment emulator ({@link startSegmentApi}). */
  segment?: SegmentApiOptions;
  /** Options of the Resend emulator ({@link startResendApi}). */
  resend?: ResendApiOptions;
}

/** A request as the inbox shows it: its `Authorization` header masked. */
export type InboxRequest = RecordedRequest;

/** What every emulator received, as plain JSON: the body of the bin's `GET /_inbox`. */
export interface EmulatorsInbox {
  smtp: { url: string; messages: ReceivedMail[]; requests: SmtpRequest[] };
  slack: { url: string; messages: SlackMessage[]; requests: InboxRequest[] };
  stripe: { url: string; customers: StripeCustomerRecord[]; requests: InboxRequest[] };
  segment: {
    url: string;
    messages: SegmentMessage[];
    batches: SegmentBatch[];
    requests: InboxRequest[];
  };
  resend: { url: string; emails: ResendEmailRecord[]; requests: InboxRequest[] };
}

/** The emulators, started together. */
export interface Emulators {
  /** SMTP: `createTransport(emulators.smtp.clientOptions)` or the URL `emulators.smtp.smtpUrl`. */
  smtp: SmtpEmulator;
  /** Slack: `new WebClient(emulators.slack.token, emulators.slack.clientOptions)`. */
  slack: SlackEmulator;
  /** Stripe: `new Stripe(emulators.stripe.apiKey, emulators.stripe.clientOptions)`. */
  stripe: StripeEmulator;
  /** Segment: `new Analytics({ writeKey: emulators.segment.writeKey, ...emulators.segment.clientOptions })`. */
  segment: SegmentEmulator;
  /** Resend: `new Resend(emulators.resend.apiKey, emulators.resend.clientOptions)`. */
  resend: ResendEmulator;
  /** Everything each emulator received, as JSON-ready data. */
  inbox(): EmulatorsInbox;
  /**
   * Resets them all: forgets what they received and clears their faults (`fail`, `delay`, `hang`). An
   * emulator stopped with `down()` stays down until its `up()`, which is async.
   */
  reset(): void;
  /** Closes them all. Never hangs. */
  close(): Promise<void>;
}

function masked(requests: RecordedRequest[]): InboxRequest[] {
  return requests.map((request) =>
    request.headers.authorization
      ? { ...request, headers: { ...request.headers, authorization: "[redacted]" } }
      : request,
  );
}

/**
 * Starts the SMTP, Slack, Stripe, Segment and Resend emulators on 127.0.0.1 (free ports unless given), for a
 * test of a whole `events` configuration or for local development. If one fails to start, the others are
 * closed and the error is thrown.
 *
 * @example
 * ```ts
 * const emulators = await startEmulators();
 * const events = composeEvents([
 *   welcomeEmail({ transport: emulators.smtp.smtpUrl, from: "hello@acme.test" }),
 *   slackNotify({ client: new WebClient(emulators.slack.token, emulators.slack.clientOptions), channel: "#signups" }),
 * ]);
 * await events.createUser!(defaultMessage("createUser"));
 * emulators.smtp.messages.length; // 1
 * await emulators.close();
 * ```
 */
export async function startEmulators(options: StartEmulatorsOptions = {}): Promise<Emulators> {
  const host = options.host ? { host: options.host } : {};
  const started = await Promise.allSettled([
    startSmtpServer({ ...host, ...options.smtp }),
    startSlackApi({ ...host, ...options.slack }),
    startStripeApi({ ...host, ...options.stripe }),
    startSegmentApi({ ...host, ...options.segment }),
    startResendApi({ ...host, ...options.resend }),
  ] as const);
  const failed = started.find((result) => result.status === "rejected");
  if (failed) {
    await Promise.all(
      started.map((result) => (result.status === "fulfilled" ? result.value.close() : undefined)),
    );
    throw failed.reason;
  }
  const [smtp, slack, stripe, segment, resend] = started.map(
    (result) => (result as PromiseFulfilledResult<unknown>).value,
  ) as [SmtpEmulator, SlackEmulator, StripeEmulator, SegmentEmulator, ResendEmulator];
  const all = [smtp, slack, stripe, segment, resend];
  return {
    smtp,
    slack,
    stripe,
    segment,
    resend,
    inbox: () => ({
      smtp: { url: smtp.url, messages: smtp.messages, requests: smtp.requests },
      slack: { url: slack.url, messages: slack.messages, requests: masked(slack.requests) },
      stripe: { url: stripe.url, customers: stripe.customers, requests: masked(stripe.requests) },
      segment: {
        url: segment.url,
        messages: segment.messages,
        batches: segment.batches,
        requests: masked(segment.requests),
      },
      resend: { url: resend.url, emails: resend.emails, requests: masked(resend.requests) },
    }),
    reset() {
      for (const emulator of all) emulator.reset();
    },
    async close() {
      await Promise.all(all.map((emulator) => emulator.close()));
    },
  };
}
