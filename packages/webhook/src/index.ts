export {
  InvalidWebhookError,
  type InvalidWebhookReason,
  WebhookDeliveryError,
} from "./errors.ts";
export type { WebhookEvent } from "./message.ts";
export {
  WEBHOOK_EVENT_TYPES,
  type WebhookAccount,
  type WebhookData,
  type WebhookEventType,
  type WebhookPayload,
  type WebhookUser,
} from "./payload.ts";
export { webhookPayloadSchema } from "./schema.ts";
export { type SignedWebhookOptions, signedWebhook } from "./signed-webhook.ts";
export { type VerifyWebhookOptions, verifyWebhook } from "./verify.ts";
