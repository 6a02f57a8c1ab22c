import { stripeCustomer } from "@auth-recipes/stripe";
import { stripe } from "../clients";
import { prisma } from "../prisma";

export const stripeRecipe = stripeCustomer({
  stripe,
  onCustomerCreated: async ({ user, customer }) => {
    if (!user.id) return;
    await prisma.user.update({
      where: { id: user.id },
      data: { stripeCustomerId: customer.id },
    });
  },
  getCustomerId: async (user) => {
    if (!user.id) return null;
    const row = await prisma.user.findUnique({
      where: { id: user.id },
      select: { stripeCustomerId: true },
    });
    return row?.stripeCustomerId;
  },
});
