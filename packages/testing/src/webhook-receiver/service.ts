import { masked } from "../emulator/masked.ts";
import type { ServiceEmulator } from "../emulator/service.ts";
import type { RecordedRequest } from "../emulator/types.ts";
import { startWebhookReceiver } from "./receiver.ts";
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
  WebhookInbox
> = {
  key: "webhook",
  title: "webhook receiver",
  start: startWebhookReceiver,
  environment: (webhook) => ({ WEBHOOK_URL: webhook.hookUrl, WEBHOOK_SECRET: webhook.secret }),
  inbox: (webhook) => ({
    url: webhook.url,
    hookUrl: webhook.hookUrl,
    deliveries: webhook.deliveries,
    requests: masked(webhook.requests),
  }),
};
