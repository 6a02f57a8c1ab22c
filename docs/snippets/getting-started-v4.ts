// lib/auth.ts (next-auth v4): the Email provider, the Drizzle adapter and one recipe, the welcome email.
import { DrizzleAdapter } from "@auth/drizzle-adapter";
import { composeEvents } from "@auth-recipes/core";
import { welcomeEmail } from "@auth-recipes/welcome-email";
import type { NextAuthOptions } from "next-auth";
import EmailProvider from "next-auth/providers/email";
import { db } from "./db";
import { accounts, sessions, users, verificationTokens } from "./db/schema";

export const authOptions: NextAuthOptions = {
  // createUser fires only with a database adapter: the welcome email needs one.
  adapter: DrizzleAdapter(db, {
    usersTable: users,
    accountsTable: accounts,
    sessionsTable: sessions,
    verificationTokensTable: verificationTokens,
  }),
  // A sign-in link by email: the first one a new address opens creates the user.
  providers: [EmailProvider({ server: process.env.EMAIL_SERVER!, from: "Acme <hello@acme.com>" })],
  events: composeEvents([
    welcomeEmail({
      transport: process.env.EMAIL_SERVER!, // the same SMTP URL the Email provider uses
      from: "Acme <hello@acme.com>",
      appName: "Acme",
    }),
    // A plain next-auth events object works too, and gets the same isolation.
    { signIn: ({ user }) => console.info("sign-in", user.id) },
  ]),
};
