import {
  startWebhookReceiver,
  TOKEN_MARKERS,
  type WebhookReceiverEmulator,
} from "@auth-recipes/testing";
import { testRecipe } from "@auth-recipes/testing/vitest";
import { expect } from "vitest";
import { type SignedWebhookOptions, signedWebhook } from "../src/index.ts";
import { hookUrlOf, secretsOf } from "./helpers.ts";

const TYPE_OF = {
  createUser: "user.created",
  updateUser: "user.updated",
  signIn: "user.signed_in",
  signOut: "user.signed_out",
  linkAccount: "account.linked",
} as const;

// The fields a payload may have, at each level: anything else means user input became structure.
const FIELDS: Record<string, ReadonlySet<string>> = {
  payload: new Set(["type", "timestamp", "data"]),
  data: new Set(["user", "account", "isNewUser"]),
  user: new Set(["id", "email", "name", "image", "emailVerified"]),
  account: new Set(["provider", "type", "providerAccountId"]),
};

function extra(value: unknown, level: string): string | undefined {
  if (typeof value !== "object" || value === null) return `${level} is not an object`;
  const unknown = Object.keys(value).filter((key) => !FIELDS[level]!.has(key));
  return unknown.length ? `${level} has unexpected field(s) ${unknown.join(", ")}` : undefined;
}

testRecipe<WebhookReceiverEmulator, SignedWebhookOptions>({
  name: "webhook",
  start: () => startWebhookReceiver(),
  factory: signedWebhook,
  options: (receiver) => ({ url: hookUrlOf(receiver), secret: receiver.secret }),
  required: ["url", "secret"],
  delivered: (receiver, { event, user }) => {
    const type = TYPE_OF[event as keyof typeof TYPE_OF];
    if (!type) throw new Error(`the recipe should not handle ${event}`);
    const mine = receiver
      .accepted()
      .filter(
        (delivery) =>
          delivery.type === type &&
          (delivery.payload as { data?: { user?: { id?: string } } }).data?.user?.id === user.id,
      );
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ signatureValid: true, contentType: "application/json" });
    if (event !== "signOut") {
      expect(mine[0]?.payload).toMatchObject({
        data: { user: { email: user.email, name: user.name } },
      });
    }
    const raw = JSON.stringify(receiver.requests);
    const marker = TOKEN_MARKERS.find((m) => raw.includes(m));
    if (marker) throw new Error(`an OAuth or session token reached the receiver (${marker})`);
  },
  injected: (receiver) => {
    for (const delivery of receiver.deliveries) {
      const payload = delivery.payload as
        | { data?: { user?: unknown; account?: unknown } }
        | undefined;
      const found =
        extra(payload, "payload") ??
        extra(payload?.data, "data") ??
        extra(payload?.data?.user, "user") ??
        (payload?.data?.account === undefined ? undefined : extra(payload.data.account, "account"));
      if (found) return found;
      if (!delivery.signatureValid)
        return `a delivery the receiver could not verify: ${delivery.invalidReason}`;
    }
    return undefined;
  },
  secrets: (receiver) => secretsOf(receiver),
  // Receivers dedupe on webhook-id: count what one would act on.
  effects: (receiver) => receiver.accepted().length,
  timeoutMs: 600,
});
