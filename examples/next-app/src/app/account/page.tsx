import { eq } from "drizzle-orm";
import { redirect } from "next/navigation";
import { db } from "../../db/database.ts";
import { users } from "../../db/schema.ts";
import { customerStatus } from "../../lib/customer-status.ts";
import { currentSession } from "../../lib/session.ts";
import { DeleteAccountButton } from "./delete-account-button.tsx";
import { SignOutButton } from "./sign-out-button.tsx";

export const dynamic = "force-dynamic";

export default async function Account() {
  const session = await currentSession();
  if (!session) redirect("/signin");
  // Read the row itself: the Stripe customer id is written by the stripe recipe, not by next-auth.
  const user = db().select().from(users).where(eq(users.id, session.user.id)).get();
  if (!user) redirect("/signin");
  const status = user.stripeCustomerId ? undefined : await customerStatus(user.id);
  return (
    <>
      <h1>You are signed in</h1>
      <div className="card">
        <dl className="fields">
          <dt>Email</dt>
          <dd data-testid="user-email">{user.email}</dd>
          <dt>User id</dt>
          <dd data-testid="user-id">{user.id}</dd>
          <dt>Email verified</dt>
          <dd>{user.emailVerified?.toISOString() ?? "no"}</dd>
          <dt>Stripe customer</dt>
          <dd data-testid="stripe-customer-id">
            {user.stripeCustomerId ?? (
              <span className="muted" data-state={status?.state}>
                {status?.text}
              </span>
            )}
          </dd>
        </dl>
      </div>
      <SignOutButton />
      <DeleteAccountButton />
    </>
  );
}
