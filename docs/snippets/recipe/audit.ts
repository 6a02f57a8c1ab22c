import { composeEvents, defineRecipe, skip } from "@auth-recipes/core";

declare function writeAuditLog(
  entry: { userId: string; action: string },
  options: { signal: AbortSignal },
): Promise<void>;

const audit = defineRecipe({
  name: "audit",
  timeoutMs: 2_000,
  events: {
    // `message` is signIn's message and `context` carries the attempt's signal: both inferred.
    signIn: async ({ user, isNewUser }, { signal }) => {
      if (!user.id) return skip("no user id");
      await writeAuditLog(
        { userId: user.id, action: isNewUser ? "sign-up" : "sign-in" },
        { signal },
      );
    },
  },
});

export const events = composeEvents([audit]);
