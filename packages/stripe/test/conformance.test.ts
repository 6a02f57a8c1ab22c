import { type StripeEmulator, startStripeApi } from "@auth-recipes/testing";
import { testRecipe } from "@auth-recipes/testing/vitest";
import { expect } from "vitest";
import { type StripeCustomerOptions, stripeCustomer } from "../src/index.ts";
import { stripeClient } from "./helpers.ts";

// Customers hold only what the recipe sends, so hostile input shows up as a field that is not clean.
const CONTROL = /[\p{Cc}\u2028\u2029]/u;
const ONE_ADDRESS = /^[^\s@,;<>]+@[^\s@,;<>]+$/;

testRecipe<StripeEmulator, StripeCustomerOptions>({
  name: "stripe-customer",
  start: () => startStripeApi(),
  factory: stripeCustomer,
  options: (emulator) => ({ stripe: stripeClient(emulator) }),
  required: ["stripe"],
  delivered: (emulator, { event, user }) => {
    if (event === "createUser") {
      expect(emulator.customers).toHaveLength(1);
      expect(emulator.customers[0]).toMatchObject({
        email: user.email,
        name: user.name,
        metadata: { userId: user.id },
      });
    } else {
      // updateUser with no customer yet: the recipe looked this user's customer up and made none.
      expect(emulator.customers).toHaveLength(0);
      expect(emulator.searches.flatMap((search) => search.clauses)).toContainEqual(
        expect.objectContaining({ field: "metadata", key: "userId", value: user.id }),
      );
    }
  },
  injected: (emulator) => {
    const widened = emulator.searches.find((search) => search.clauses.length !== 1);
    if (widened) return `a search query has ${widened.clauses.length} clauses: ${widened.query}`;
    const owners = new Set<string>();
    for (const customer of emulator.customers) {
      const { userId, ...other } = customer.metadata;
      if (!userId || Object.keys(other).length)
        return `customer metadata ${JSON.stringify(customer.metadata)}`;
      if (owners.has(userId)) return `two customers for one user`;
      owners.add(userId);
      if (customer.email !== null && !ONE_ADDRESS.test(customer.email))
        return "an email that is not one address";
      if (customer.name !== null && CONTROL.test(customer.name))
        return "a control character in a name";
    }
    return undefined;
  },
  secrets: (emulator) => [emulator.apiKey],
  effects: (emulator) => emulator.customers.length,
  timeoutMs: 500,
});
