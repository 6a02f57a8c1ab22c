// lib/next-auth-setup.ts: the adapter and the providers of the fuller examples (Getting started builds
// the same inline in lib/auth.ts).
import { DrizzleAdapter } from "@auth/drizzle-adapter";
import EmailProvider from "next-auth/providers/email";
import GitHubProvider from "next-auth/providers/github";
import { db } from "./db";
import { accounts, sessions, users, verificationTokens } from "./db/schema";

export const adapter = DrizzleAdapter(db, {
  usersTable: users,
  accountsTable: accounts,
  sessionsTable: sessions,
  verificationTokensTable: verificationTokens,
});

export const providers = [
  GitHubProvider({ clientId: process.env.GITHUB_ID!, clientSecret: process.env.GITHUB_SECRET! }),
  EmailProvider({ server: process.env.EMAIL_SERVER!, from: "Acme <hello@acme.com>" }),
];
