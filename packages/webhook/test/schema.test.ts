import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { WEBHOOK_EVENT_TYPES, webhookPayloadSchema } from "../src/index.ts";

const docs = (path: string) =>
  readFileSync(new URL(`../../../docs/${path}`, import.meta.url), "utf8");

describe("webhookPayloadSchema", () => {
  it("lists every event type", () => {
    expect(webhookPayloadSchema.properties.type.enum).toEqual([...WEBHOOK_EVENT_TYPES]);
  });

  it("is the schema the docs publish, at its $id and in the receiver guide", () => {
    const published = JSON.parse(docs("public/schemas/webhook-payload.json"));
    expect(published).toEqual(webhookPayloadSchema);
    expect(webhookPayloadSchema.$id).toBe(
      "https://auth-recipes.github.io/auth-recipes/schemas/webhook-payload.json",
    );
    const guide = docs("guide/receiving-webhooks.md");
    const block = /```json\n([\s\S]*?)```/.exec(guide)?.[1];
    expect(JSON.parse(block ?? "null")).toEqual(webhookPayloadSchema);
  });
});
