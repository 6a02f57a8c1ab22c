import { type AuthUser, composeEvents, type Recipe } from "@auth-recipes/core";
import { Analytics } from "@segment/analytics-node";
import { describe, expectTypeOf, it } from "vitest";
import {
  type SegmentDeliveryError,
  type SegmentEventNames,
  type SegmentTrackingOptions,
  segmentTracking,
} from "../src/index.ts";

const analytics = new Analytics({ writeKey: "wk_types" });

describe("segmentTracking types", () => {
  it("returns a Recipe that composeEvents takes", () => {
    const recipe = segmentTracking({ analytics });
    expectTypeOf(recipe).toEqualTypeOf<Recipe>();
    composeEvents([recipe]);
  });

  it("requires an Analytics client", () => {
    // @ts-expect-error: analytics is required
    segmentTracking({});
    // @ts-expect-error: not an Analytics client
    segmentTracking({ analytics: { track() {} } });
    expectTypeOf<SegmentTrackingOptions["analytics"]>().toEqualTypeOf<Analytics>();
  });

  it("gives traits the user and takes a name or false per event", () => {
    segmentTracking({
      analytics,
      traits: (user) => {
        expectTypeOf(user).toEqualTypeOf<AuthUser>();
        return { email: user.email };
      },
      events: { signUp: false, signIn: "Logged In" },
      awaitDelivery: false,
    });
    expectTypeOf<SegmentEventNames["signIn"]>().toEqualTypeOf<string | false | undefined>();
    // @ts-expect-error: true is not a name
    segmentTracking({ analytics, events: { signIn: true } });
    // @ts-expect-error: a typo of signIn
    segmentTracking({ analytics, events: { signedIn: "x" } });
  });

  it("exposes the delivery error's status and retryability", () => {
    expectTypeOf<SegmentDeliveryError["status"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<SegmentDeliveryError["retryable"]>().toEqualTypeOf<boolean>();
  });
});
