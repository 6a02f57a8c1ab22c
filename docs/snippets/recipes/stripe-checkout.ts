// app/api/checkout/route.ts: the stored id is what the rest of your billing code uses.
import { composeEvents } from "@auth-recipes/core";
import { eq } from "drizzle-orm";
import { getServerSession } from "next-auth";
import { stripe } from "../clients";
import { db } from "../db";
import { users } from "../db/schema";
import { authOptions } from "../getting-started-v4";
import { stripeRecipe } from "./stripe-drizzle";

export async function POST(request: Request): Promise<Response> {
  const session = await getServerSession(authOptions);
  const email = session?.user?.email;
  if (!email) return new Response("sign in first", { status: 401 });
  const [user] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  if (!user) return new Response("no such user", { status: 404 });

  // Events never break a sign-in, so a user can exist without a customer if Stripe was down for
  // every attempt. Run the same recipe for them now: it finds or creates the customer, once.
  if (!user.stripeCustomerId) {
    await composeEvents([stripeRecipe], { retry: true }).createUser?.({ user });
  }
  const [row] = await db.select().from(users).where(eq(users.id, user.id)).limit(1);
  if (!row?.stripeCustomerId) return new Response("billing is unavailable", { status: 503 });

  const origin = new URL(request.url).origin;
  const checkout = await stripe.checkout.sessions.create({
    customer: row.stripeCustomerId,
    mode: "subscription",
    line_items: [{ price: process.env.STRIPE_PRICE_ID!, quantity: 1 }],
    success_url: `${origin}/billing?done=1`,
    cancel_url: `${origin}/billing`,
  });
  return Response.redirect(checkout.url!, 303);
}
