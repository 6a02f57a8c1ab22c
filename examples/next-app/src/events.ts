import {
  type ComposedEvents,
  composeEvents,
  type DispatchReport,
  type RecipeError,
  type RecipeInput,
} from "@auth-recipes/core";
import { segmentTracking } from "@auth-recipes/segment";
import { slackNotify } from "@auth-recipes/slack";
import { stripeCustomer } from "@auth-recipes/stripe";
import { welcomeEmail } from "@auth-recipes/welcome-email";
import { eq } from "drizzle-orm";
import type { AppDatabase } from "./db/database.ts";
import { users } from "./db/schema.ts";
import { recordDispatch } from "./lib/dispatches.ts";
import type { Services } from "./lib/services.ts";

/** The recipes' names, as `AUTH_RECIPES` lists them. */
export const RECIPE_NAMES = ["welcome-email", "slack", "stripe-customer", "segment"] as const;

export interface AppEventsOptions {
  services: Services;
  /** Where onCustomerCreated stores the Stripe customer id. */
  db: AppDatabase;
  /**
   * The recipes to run, by name.
   * @default all four
   */
  enabled?: ReadonlySet<string>;
  /**
   * Bounds each recipe's handler, in ms.
   * @default 5000
   */
  timeoutMs?: number;
  /** Logs each event's outcome, recipe by recipe. */
  debug?: boolean;
}

function idOf(user: { id?: unknown }): string {
  if (typeof user.id !== "string") throw new TypeError("the user has no id");
  return user.id;
}

/** The user's Stripe customer id, from the column onCustomerCreated writes. */
export function stripeCustomerIdOf(db: AppDatabase, userId: string): string | null {
  const row = db
    .select({ id: users.stripeCustomerId })
    .from(users)
    .where(eq(users.id, userId))
    .get();
  return row?.id ?? null;
}

function recipes(options: AppEventsOptions): RecipeInput[] {
  const { services, db } = options;
  const { smtp, slack, stripe, segment } = services;
  const on = options.enabled ?? new Set<string>(RECIPE_NAMES);
  return [
    on.has("welcome-email") &&
      welcomeEmail({ transport: smtp.transport, from: smtp.from, appName: "Auth Recipes demo" }),
    on.has("slack") && slackNotify({ client: slack.client, channel: slack.channel }),
    on.has("stripe-customer") &&
      stripeCustomer({
        stripe: stripe.stripe,
        // The column is the source of truth: a user who has a customer never gets a second one.
        getCustomerId: (user) => stripeCustomerIdOf(db, idOf(user)),
        onCustomerCreated: ({ user, customer }) => {
          db.update(users)
            .set({ stripeCustomerId: customer.id })
            .where(eq(users.id, idOf(user)))
            .run();
        },
      }),
    on.has("segment") && segmentTracking({ analytics: segment.analytics }),
  ];
}

/**
 * One line per failed recipe: the recipe, the event and the cause, which core has already redacted of
 * email addresses and keys. Never the event's payload.
 */
function logRecipeError(error: RecipeError): void {
  console.error(`[auth-recipes] ${error.message}`);
}

/** One line per event: how long each recipe took and how it ended. */
function logDispatch(report: DispatchReport): void {
  const results = report.results
    .map((result) => `${result.recipe} ${result.status} ${Math.round(result.durationMs)} ms`)
    .join(", ");
  console.log(
    `[auth-recipes] ${report.event} settled in ${Math.round(report.durationMs)} ms: ${results}`,
  );
}

/**
 * The app's `events`: the four recipes composed into one object, which next-auth v4's `NextAuthOptions`
 * and Auth.js v5's config both take as they are.
 */
export function appEvents(options: AppEventsOptions): ComposedEvents {
  return composeEvents(recipes(options), {
    timeoutMs: options.timeoutMs ?? 5_000,
    onError: logRecipeError,
    // Every dispatch is kept for the deliveries page's timeline; logged too with debug.
    onSettled: (report) => {
      recordDispatch(report);
      if (options.debug) logDispatch(report);
    },
  });
}
