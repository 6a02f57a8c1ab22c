import { type AuthUser, composeEvents, type Recipe } from "@auth-recipes/core";
import Stripe from "stripe";
import { describe, expectTypeOf, it } from "vitest";
import { type CustomerCreatedInfo, stripeCustomer } from "../src/index.ts";

const stripe = new Stripe("sk_test_types");

describe("stripeCustomer types", () => {
  it("takes the SDK's own types for its callbacks and returns a Recipe", () => {
    const recipe = stripeCustomer({
      stripe,
      on: ["createUser"],
      customerParams: async (user) => {
        expectTypeOf(user).toEqualTypeOf<AuthUser>();
        return {
          description: "from next-auth",
          preferred_locales: ["fr"],
          metadata: { plan: "free" },
        };
      },
      onCustomerCreated: ({ user, customer, reused }) => {
        expectTypeOf(user).toEqualTypeOf<AuthUser>();
        expectTypeOf(customer).toEqualTypeOf<Stripe.Customer>();
        expectTypeOf(reused).toEqualTypeOf<boolean>();
      },
      getCustomerId: async () => null,
    });
    expectTypeOf(recipe).toEqualTypeOf<Recipe>();
    expectTypeOf(composeEvents([recipe]).createUser).toBeNullable();
    expectTypeOf<CustomerCreatedInfo["customer"]["id"]>().toEqualTypeOf<string>();
  });

  it("refuses what Stripe would refuse", () => {
    // @ts-expect-error: not a create parameter
    stripeCustomer({ stripe, customerParams: () => ({ emial: "x" }) });
    // @ts-expect-error: the client is required
    stripeCustomer({});
    // @ts-expect-error: only createUser and updateUser
    stripeCustomer({ stripe, on: ["signIn"] });
    // @ts-expect-error: getCustomerId returns an id, not a customer
    stripeCustomer({ stripe, getCustomerId: () => ({ id: "cus_1" }) });
  });
});
