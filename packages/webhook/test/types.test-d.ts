import { composeEvents, type Recipe } from "@auth-recipes/core";
import { describe, expectTypeOf, it } from "vitest";
import {
  type SignedWebhookOptions,
  signedWebhook,
  verifyWebhook,
  type WebhookEventType,
  type WebhookPayload,
  type WebhookUser,
} from "../src/index.ts";

describe("signedWebhook types", () => {
  it("returns a Recipe that composeEvents takes", () => {
    const recipe = signedWebhook({ url: "https://hooks.example.test", secret: "whsec_x" });
    expectTypeOf(recipe).toEqualTypeOf<Recipe>();
    composeEvents([recipe]);
  });

  it("requires url and secret, and takes only known event types", () => {
    // @ts-expect-error: secret is required
    signedWebhook({ url: "https://hooks.example.test" });
    // @ts-expect-error: not an event type
    signedWebhook({ url: "https://x.test", secret: "whsec_x", events: ["user.deleted"] });
    signedWebhook({ url: new URL("https://x.test"), secret: "whsec_x", events: ["user.created"] });
    expectTypeOf<SignedWebhookOptions["events"]>().toEqualTypeOf<
      readonly WebhookEventType[] | undefined
    >();
  });
});

describe("verifyWebhook types", () => {
  it("resolves to a payload a receiver narrows on its type", async () => {
    const payload = await verifyWebhook(new Request("http://x.test"), "whsec_x");
    expectTypeOf(payload).toEqualTypeOf<WebhookPayload>();
    expectTypeOf(payload.data.user).toEqualTypeOf<WebhookUser>();
    expectTypeOf(payload.data.user.emailVerified).toEqualTypeOf<string | null>();
    expectTypeOf<WebhookPayload<"user.created">["type"]>().toEqualTypeOf<"user.created">();
  });
});
