import { composeEvents, type Recipe } from "@auth-recipes/core";
import { PostHog } from "posthog-node";
import { describe, expectTypeOf, it } from "vitest";
import {
  type PostHogDeliveryError,
  type PostHogEventNames,
  type PostHogTrackingOptions,
  posthogTracking,
} from "../src/index.ts";

const posthog = new PostHog("phc_types");

describe("posthogTracking types", () => {
  it("returns a Recipe that composeEvents takes", () => {
    const recipe = posthogTracking({ posthog });
    expectTypeOf(recipe).toEqualTypeOf<Recipe>();
    composeEvents([recipe]);
  });

  it("requires a PostHog client and checks the event names", () => {
    // @ts-expect-error: posthog is required
    posthogTracking({});
    // @ts-expect-error: the old key, now createUser
    posthogTracking({ posthog, names: { signUp: "x" } });
    // @ts-expect-error: false only for createUser; leave an event out of \`on\` instead
    posthogTracking({ posthog, names: { signIn: false } });
    // @ts-expect-error: not a next-auth event name
    posthogTracking({ posthog, on: ["signUp"] });
    posthogTracking({ posthog, on: ["createUser"], names: { createUser: false } });
    expectTypeOf<PostHogEventNames["createUser"]>().toEqualTypeOf<string | false | undefined>();
    expectTypeOf<PostHogEventNames["signIn"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<PostHogTrackingOptions["posthog"]>().toEqualTypeOf<PostHog>();
  });

  it("exposes the error's status and retryable", () => {
    expectTypeOf<PostHogDeliveryError["status"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<PostHogDeliveryError["retryable"]>().toEqualTypeOf<boolean>();
  });
});
