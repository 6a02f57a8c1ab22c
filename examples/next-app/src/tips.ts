// Queue mode's onboarding sequence: a "tips" email some time after sign-up (30 s in the demo, where an app
// would wait days). A delayed recipe runs only from the queue: composeEvents refuses it, so in-process
// mode has no tips email. The app's events and the worker both add it, so the worker knows it by name.
import { delayed } from "@auth-recipes/bullmq";
import type { Recipe } from "@auth-recipes/core";
import { welcomeEmail } from "@auth-recipes/welcome-email";
import type { Services } from "./lib/services.ts";

/** The tips email's delay: `AUTH_RECIPES_TIPS_MS`, else 30 s; `off` for no tips email. */
export function tipsDelayMs(
  env: Record<string, string | undefined> = process.env,
): number | undefined {
  if (env.AUTH_RECIPES_TIPS_MS === "off") return undefined;
  const value = Number(env.AUTH_RECIPES_TIPS_MS || 30_000);
  if (!(value > 0)) throw new RangeError("AUTH_RECIPES_TIPS_MS must be a positive number of ms");
  return value;
}

/** The delayed tips email, or nothing when the welcome email is off. */
export function tipsEmail(services: Services, enabled?: ReadonlySet<string>): Recipe[] {
  const delayMs = tipsDelayMs();
  if (delayMs === undefined || (enabled && !enabled.has("welcome-email"))) return [];
  const { smtp } = services;
  return [
    delayed(
      welcomeEmail({
        transport: smtp.transport,
        from: smtp.from,
        appName: "Auth Recipes demo",
        render: ({ user }) => ({
          subject: "Three tips for your first week",
          text: `Hi ${user.name ?? "there"},\n\n1. Open the Deliveries page.\n2. Break a service and watch the retries.\n3. Delete your account: your jobs go with it.\n`,
        }),
      }),
      delayMs,
      { name: "tips-email" },
    ),
  ];
}
