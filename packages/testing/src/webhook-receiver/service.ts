import { masked } from "../emulator/masked.ts";
import type { ServiceEmulator } from "../emulator/service.ts";
import type { RecordedRequest } from "../emulator/types.ts";
import { type WebhookCredentials, webhookDefaults } from "./defaults.ts";
import type { WebhookDelivery, WebhookReceiverEmulator, WebhookReceiverOptions } from "./types.ts";

/** What the inbox shows of the webhook receiver. */
export interface WebhookInbox {
  url: string;
  hookUrl: string;
  deliveries: WebhookDelivery[];
  requests: RecordedRequest[];
}

/** The Standard Webhooks receiver in the list of emulators: `WEBHOOK_URL` and `WEBHOOK_SECRET`. */
export const webhookService: ServiceEmulator<
  "webhook",
  WebhookReceiverEmulator,
  WebhookReceiverOptions,
  WebhookInbox,
  WebhookCredentials
> = {
  key: "webhook",
  title: "webhook receiver",
  defaults: webhookDefaults,
  // Imported when started: the list, and EMULATOR_DEFAULTS derived from it, load no emulator.
  start: async (options) => (await import("./receiver.ts")).startWebhookReceiver(options),
  environment: (webhook) => ({ WEBHOOK_URL: webhook.hookUrl, WEBHOOK_SECRET: webhook.secret }),
  inbox: (webhook) => ({
    url: webhook.url,
    hookUrl: webhook.hookUrl,
    deliveries: webhook.deliveries,
    requests: masked(webhook.requests),
  }),
};
