import { type PostHogEmulator, type PostHogEvent, startPostHogApi } from "@auth-recipes/testing";
import { testRecipe } from "@auth-recipes/testing/vitest";
import { expect } from "vitest";
import { type PostHogTrackingOptions, posthogTracking } from "../src/index.ts";
import { clientFor } from "./helpers.ts";

// What each event may carry beyond what the SDK adds ($lib, $geoip_disable, …: names that start with $):
// anything else, or a person property the recipe does not set, would mean user input became structure.
const PERSON = new Set(["email", "name"]);
const PROPERTIES = new Set(["provider", "type", "isNewUser", "$set"]);
const FIELDS = new Set(["event", "distinct_id", "properties", "uuid", "timestamp"]);

function injection(event: PostHogEvent): string | undefined {
  const extra = Object.keys(event).filter((key) => !FIELDS.has(key));
  if (extra.length) return `an event has unexpected fields ${extra.join(", ")}`;
  const properties = event.properties ?? {};
  for (const key of Object.keys(properties)) {
    if (!key.startsWith("$") && !PROPERTIES.has(key)) {
      return `the ${event.event} event has the property ${JSON.stringify(key)}`;
    }
  }
  const set = (properties.$set ?? {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(set)) {
    if (!PERSON.has(key)) return `a person property ${JSON.stringify(key)}`;
    if (typeof value !== "string") return "a person property that is not a string";
  }
  return undefined;
}

testRecipe<PostHogEmulator, PostHogTrackingOptions>({
  name: "posthog",
  start: () => startPostHogApi(),
  factory: posthogTracking,
  options: (posthog) => ({ posthog: clientFor(posthog) }),
  required: ["posthog"],
  delivered: (posthog, { event, user }) => {
    const mine = posthog.events.filter((sent) => sent.distinct_id === user.id);
    const person = { $set: { email: user.email, name: user.name } };
    switch (event) {
      case "createUser":
        expect(mine).toHaveLength(2);
        expect(mine).toEqual(
          expect.arrayContaining([
            expect.objectContaining({
              event: "$identify",
              properties: expect.objectContaining(person),
            }),
            expect.objectContaining({ event: "user signed up" }),
          ]),
        );
        break;
      case "updateUser":
        expect(mine).toMatchObject([{ event: "$set", properties: person }]);
        break;
      case "signIn":
        expect(mine).toMatchObject([
          {
            event: "user signed in",
            properties: { provider: "github", type: "oauth", isNewUser: true },
          },
        ]);
        break;
      case "signOut":
        expect(mine).toMatchObject([{ event: "user signed out" }]);
        break;
      case "linkAccount":
        expect(mine).toMatchObject([
          { event: "account linked", properties: { provider: "github" } },
        ]);
        break;
      default:
        throw new Error(`the recipe should not handle ${event}`);
    }
  },
  injected: (posthog) => {
    for (const event of posthog.events) {
      const found = injection(event);
      if (found) return found;
    }
    return undefined;
  },
  secrets: (posthog) => [posthog.apiKey],
  // PostHog deduplicates on the event uuid (a best effort): count what it would keep.
  effects: (posthog) => posthog.uniqueEvents().length,
});
