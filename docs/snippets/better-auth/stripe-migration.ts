// From @better-auth/stripe's createCustomerOnSignUp to stripeCustomer, on the same `stripeCustomerId`
// column, so no user gets a second customer.
import { authRecipes } from "@auth-recipes/better-auth";
import { stripeCustomer } from "@auth-recipes/stripe";
import { betterAuth } from "better-auth";
import Database from "better-sqlite3";
import { stripe } from "../stripe";

const database = new Database("auth.sqlite");

export const auth = betterAuth({
  database,
  emailAndPassword: { enabled: true },
  // The column the Stripe plugin added; keep it (and keep that plugin for subscriptions, with
  // `createCustomerOnSignUp: false`).
  user: {
    additionalFields: { stripeCustomerId: { type: "string", required: false, input: false } },
  },
  plugins: [
    authRecipes([
      stripeCustomer({
        stripe,
        // The hook passes the whole user row: a user the old plugin gave a customer keeps it.
        getCustomerId: (user) => (user as { stripeCustomerId?: string | null }).stripeCustomerId,
        // Written with SQL, not better-auth's updateUser, which would fire updateUser again.
        onCustomerCreated: ({ user, customer }) => {
          database
            .prepare(`UPDATE "user" SET "stripeCustomerId" = ? WHERE "id" = ?`)
            .run(customer.id, user.id);
        },
      }),
    ]),
  ],
});
