// The conformance host's own behaviour (conformance.test.ts runs the shared suite through it): it is
// testRecipe's RecipeHost, and a sign-in's provider and newness come from better-auth's request.
import { segmentTracking } from "@auth-recipes/segment";
import {
  defaultMessage,
  dispatchThrough,
  type Emulators,
  events as nextAuth,
  type RecipeHost,
  startEmulators,
  users,
} from "@auth-recipes/testing";
import { Analytics } from "@segment/analytics-node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { betterAuthHost } from "../src/testing.ts";

// The host option of testRecipe takes a RecipeHost: this must type-check.
const host: RecipeHost = betterAuthHost();

let emulators: Emulators;
beforeAll(async () => {
  emulators = await startEmulators();
});
afterAll(() => emulators.close());
beforeEach(() => emulators.reset());

const segment = () =>
  segmentTracking({
    analytics: new Analytics({
      writeKey: emulators.segment.writeKey,
      ...emulators.segment.clientOptions,
      maxRetries: 0,
      httpRequestTimeout: 2000,
    }),
  });

describe("betterAuthHost(): what better-auth adds to a sign-in", () => {
  it("an OAuth signIn of an existing user is not new; a sign-in outside a request names no provider", async () => {
    const recipe = segment();
    await dispatchThrough(host, [recipe], "signIn", defaultMessage("signIn", users.bob) as never);
    emulators.reset();
    const { report } = await dispatchThrough(host, [recipe], "signIn", {
      ...(defaultMessage("signIn", users.bob) as object),
      isNewUser: false,
    } as never);
    expect(report.results[0]?.status).toBe("fulfilled");
    await expect
      .poll(() => emulators.segment.messages.map((m) => m.properties))
      .toEqual([{ provider: "github", type: "oauth", isNewUser: false }]);

    // next-auth's credentials sign-in has no adapter user; better-auth's session made outside a
    // request says neither the provider nor whether the user is new, so Segment gets no properties.
    emulators.reset();
    await dispatchThrough(host, [recipe], "signIn", nextAuth.signInCredentials(users.bob) as never);
    await expect
      .poll(() => emulators.segment.messages.map((m) => [m.event, m.properties]))
      .toEqual([["Signed In", {}]]);
  });
});
