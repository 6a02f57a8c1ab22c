import { composeEvents, type Recipe } from "@auth-recipes/core";
import { describe, expectTypeOf, it } from "vitest";
import {
  type SignedWebhookOptions,
  signedWebhook,
  verifyWebhook,
  type WebhookEvent,
  type WebhookPayload,
  type WebhookUser,
} from "../src/index.ts";

describe("signedWebhook types", () => {
  it("returns a Recipe that composeEvents takes", () => {
    const recipe = signedWebhook({ url: "https://hooks.example.test", secret: "whsec_x" });
    expectTypeOf(recipe).toEqualTypeOf<Recipe>();
    composeEvents([recipe]);
  });

  it("requires url and secret, and takes only the next-auth events it delivers", () => {
    // @ts-expect-error: secret is required
    signedWebhook({ url: "https://hooks.example.test" });
    // @ts-expect-error: a payload type, not an event name
    signedWebhook({ url: "https://x.test", secret: "whsec_x", on: ["user.created"] });
    // @ts-expect-error: session is not delivered
    signedWebhook({ url: "https://x.test", secret: "whsec_x", on: ["session"] });
    signedWebhook({ url: new URL("https://x.test"), secret: "whsec_x", on: ["createUser"] });
    expectTypeOf<SignedWebhookOptions["on"]>().toEqualTypeOf<readonly WebhookEvent[] | undefined>();
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
