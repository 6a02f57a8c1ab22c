/**
 * The JSON Schema (draft 2020-12) of a delivery's body, {@link WebhookPayload}: give it to a receiver
 * written in another language, or to a validator such as Ajv. `additionalProperties` is left open, so a
 * field added in a minor release does not break a receiver that validates.
 *
 * @example
 * ```ts
 * import { webhookPayloadSchema } from "@auth-recipes/webhook";
 * import { writeFileSync } from "node:fs";
 *
 * writeFileSync("auth-webhook.schema.json", JSON.stringify(webhookPayloadSchema, null, 2));
 * ```
 */
export const webhookPayloadSchema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: "https://auth-recipes.github.io/auth-recipes/schemas/webhook-payload.json",
  title: "auth-recipes webhook payload",
  description: "The body of a Standard Webhooks delivery made by @auth-recipes/webhook.",
  type: "object",
  required: ["type", "timestamp", "data"],
  properties: {
    type: {
      enum: ["user.created", "user.updated", "user.signed_in", "user.signed_out", "account.linked"],
    },
    timestamp: { type: "string", format: "date-time" },
    data: {
      type: "object",
      required: ["user"],
      properties: {
        user: {
          type: "object",
          required: ["id", "email", "name", "image", "emailVerified"],
          properties: {
            id: { type: "string", minLength: 1 },
            email: { type: ["string", "null"] },
            name: { type: ["string", "null"] },
            image: { type: ["string", "null"] },
            emailVerified: { type: ["string", "null"], format: "date-time" },
          },
        },
        account: {
          type: "object",
          required: ["provider", "type", "providerAccountId"],
          properties: {
            provider: { type: "string" },
            type: { type: "string" },
            providerAccountId: { type: "string" },
          },
        },
        isNewUser: { type: "boolean" },
      },
    },
  },
} as const;
