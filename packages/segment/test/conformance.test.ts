import {
  type Delivery,
  type SegmentEmulator,
  type SegmentMessage,
  startSegmentApi,
} from "@auth-recipes/testing";
import { testRecipe } from "@auth-recipes/testing/vitest";
import { expect } from "vitest";
import { type SegmentTrackingOptions, segmentTracking } from "../src/index.ts";
import { analyticsFor } from "./helpers.ts";

// The fields each call may carry, beyond what the SDK adds (context, timestamps, ids): anything else,
// or a trait or property the recipe does not send, would mean user input became structure.
const TRAITS = new Set(["email", "name"]);
const PROPERTIES = new Set(["provider", "type", "isNewUser"]);
const FIELDS = new Set([
  "type",
  "userId",
  "event",
  "traits",
  "properties",
  "messageId",
  "timestamp",
  "context",
  "integrations",
  "_metadata",
]);

function injection(message: SegmentMessage): string | undefined {
  const extra = Object.keys(message).filter((key) => !FIELDS.has(key));
  if (extra.length) return `a ${message.type} call has unexpected fields ${extra.join(", ")}`;
  if (message.type !== "identify" && message.type !== "track") return `a ${message.type} call`;
  for (const key of Object.keys(message.traits ?? {})) {
    if (!TRAITS.has(key)) return `an identify call has the trait ${JSON.stringify(key)}`;
  }
  for (const key of Object.keys(message.properties ?? {})) {
    if (!PROPERTIES.has(key)) return `a track call has the property ${JSON.stringify(key)}`;
  }
  for (const value of Object.values(message.traits ?? {})) {
    if (typeof value !== "string") return "a trait that is not a string";
  }
  return undefined;
}

const conformance = (flushAt?: number) => ({
  name: "segment",
  start: () => startSegmentApi(),
  factory: segmentTracking,
  options: (segment: SegmentEmulator) => ({
    analytics: analyticsFor(segment, flushAt ? { flushAt } : {}),
  }),
  required: ["analytics"] as const,
  delivered: (segment: SegmentEmulator, { event, user }: Delivery) => {
    const mine = segment.messages.filter((message) => message.userId === user.id);
    const traits = { email: user.email, name: user.name };
    switch (event) {
      case "createUser":
        expect(mine).toMatchObject([
          { type: "identify", traits },
          { type: "track", event: "Signed Up" },
        ]);
        break;
      case "updateUser":
        expect(mine).toMatchObject([{ type: "identify", traits }]);
        break;
      case "signIn":
        expect(mine).toMatchObject([
          {
            type: "track",
            event: "Signed In",
            properties: { provider: "github", type: "oauth", isNewUser: true },
          },
        ]);
        break;
      case "signOut":
        expect(mine).toMatchObject([{ type: "track", event: "Signed Out" }]);
        break;
      case "linkAccount":
        expect(mine).toMatchObject([
          { type: "track", event: "Account Linked", properties: { provider: "github" } },
        ]);
        break;
      default:
        throw new Error(`the recipe should not handle ${event}`);
    }
  },
  injected: (segment: SegmentEmulator) => {
    for (const message of segment.messages) {
      const found = injection(message);
      if (found) return found;
    }
    return undefined;
  },
  secrets: (segment: SegmentEmulator) => [segment.writeKey],
  // Segment deduplicates on messageId: count what it would keep.
  effects: (segment: SegmentEmulator) => segment.uniqueMessages().length,
});

// The SDK's batching (calls sent in rounds and flushed), and a client that sends each call by itself.
testRecipe<SegmentEmulator, SegmentTrackingOptions>(conformance());
testRecipe<SegmentEmulator, SegmentTrackingOptions>(conformance(1));
