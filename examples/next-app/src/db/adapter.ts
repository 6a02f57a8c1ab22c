import type { Adapter } from "@auth/core/adapters";
import { DrizzleAdapter } from "@auth/drizzle-adapter";
import { eq } from "drizzle-orm";
import type { AppDatabase } from "./database.ts";
import { accounts, sessions, users, verificationTokens } from "./schema.ts";

/**
 * @auth/drizzle-adapter on the app's tables, with one fix: its `deleteSession` returns nothing, so the
 * signOut event (v4 and v5 alike) would carry `{ session: undefined }` and no recipe could tell who
 * signed out (Segment's Signed Out needs the user id). Returning the deleted row is what the Adapter
 * interface asks for.
 */
export function appAdapter(db: AppDatabase): Adapter {
  const base = DrizzleAdapter(db, {
    usersTable: users,
    accountsTable: accounts,
    sessionsTable: sessions,
    verificationTokensTable: verificationTokens,
  });
  return {
    ...base,
    async deleteSession(sessionToken) {
      const row = db
        .delete(sessions)
        .where(eq(sessions.sessionToken, sessionToken))
        .returning()
        .get();
      return row ?? null;
    },
  };
}
