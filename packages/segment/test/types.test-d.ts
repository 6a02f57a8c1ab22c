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
      on: ["createUser", "signIn"],
      traits: (user) => {
        expectTypeOf(user).toEqualTypeOf<AuthUser>();
        return { email: user.email };
      },
      names: { createUser: false, signIn: "Logged In" },
      awaitDelivery: false,
    });
    expectTypeOf<SegmentEventNames["createUser"]>().toEqualTypeOf<string | false | undefined>();
    expectTypeOf<SegmentEventNames["signIn"]>().toEqualTypeOf<string | undefined>();
    // @ts-expect-error: false only for createUser; leave an event out of \`on\` instead
    segmentTracking({ analytics, names: { signIn: false } });
    // @ts-expect-error: not a next-auth event name
    segmentTracking({ analytics, on: ["signUp"] });
    // @ts-expect-error: true is not a name
    segmentTracking({ analytics, names: { signIn: true } });
    // @ts-expect-error: the old key, now createUser
    segmentTracking({ analytics, names: { signUp: "x" } });
  });

  it("exposes the delivery error's status and retryability", () => {
    expectTypeOf<SegmentDeliveryError["status"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<SegmentDeliveryError["retryable"]>().toEqualTypeOf<boolean>();
  });
});
