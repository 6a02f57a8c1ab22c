// app/api/sign-up/route.ts: with the Credentials provider, next-auth creates no user and fires no
// createUser. Your own sign-up route does create the user: dispatch the event from there.
import { composeEvents } from "@auth-recipes/core";
import { welcomeEmail } from "@auth-recipes/welcome-email";
import { db } from "./db";
import { users } from "./db/schema";

// The same composed events you pass to next-auth, kept in a variable you can call.
export const events = composeEvents([
  welcomeEmail({ transport: process.env.EMAIL_SERVER!, from: "hello@acme.com" }),
]);

export async function POST(request: Request): Promise<Response> {
  const { email, name } = (await request.json()) as { email: string; name: string };
  // (Validate the input and store a password hash here, as your sign-up already does.)
  const [user] = await db.insert(users).values({ email, name }).returning();
  if (!user) return new Response("could not create the user", { status: 500 });
  // Never rejects: a failed side effect goes to onError, and the sign-up still succeeds.
  await events.createUser?.({ user });
  return Response.json({ id: user.id }, { status: 201 });
}
