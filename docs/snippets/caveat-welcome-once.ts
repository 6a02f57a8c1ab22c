import { welcomeEmail } from "@auth-recipes/welcome-email";
import { and, eq, isNull } from "drizzle-orm";
import { db } from "./db";
import { users } from "./db/schema";

export const welcome = welcomeEmail({
  transport: process.env.EMAIL_SERVER!,
  from: "Acme <hello@acme.com>",
  // With allowDangerousEmailAccountLinking, createUser can fire for a user who already exists.
  // Claim the welcome atomically: only the first call updates the row, so only it sends.
  shouldSend: async (user) => {
    if (!user.id) return false;
    const claimed = await db
      .update(users)
      .set({ welcomedAt: new Date() })
      .where(and(eq(users.id, user.id), isNull(users.welcomedAt)))
      .returning({ id: users.id });
    return claimed.length === 1;
  },
});
