import { stripeCustomer } from "@auth-recipes/stripe";
import { eq } from "drizzle-orm";
import { stripe } from "../clients";
import { db } from "../db";
import { users } from "../db/schema";

export const stripeRecipe = stripeCustomer({
  stripe,
  // Runs once the user has a customer, created or reused. A retry may call it again: an UPDATE of
  // one column is idempotent.
  onCustomerCreated: async ({ user, customer }) => {
    if (!user.id) return;
    await db.update(users).set({ stripeCustomerId: customer.id }).where(eq(users.id, user.id));
  },
  // Trusted when given: a user with an id gets no second customer, and updateUser syncs this one.
  getCustomerId: async (user) => {
    if (!user.id) return null;
    const [row] = await db
      .select({ stripeCustomerId: users.stripeCustomerId })
      .from(users)
      .where(eq(users.id, user.id))
      .limit(1);
    return row?.stripeCustomerId;
  },
});
