import { enqueueRecipes } from "@auth-recipes/bullmq";
import {
  type ComposedEvents,
  composeEvents,
  type DispatchReport,
  type RecipeError,
  type RecipeInput,
} from "@auth-recipes/core";
import { posthogTracking } from "@auth-recipes/posthog";
import { resendTransport } from "@auth-recipes/resend";
import { segmentTracking } from "@auth-recipes/segment";
import { slackNotify } from "@auth-recipes/slack";
import { stripeCustomer } from "@auth-recipes/stripe";
import { signedWebhook } from "@auth-recipes/webhook";
import { welcomeEmail } from "@auth-recipes/welcome-email";
import type { Queue } from "bullmq";
import { eq } from "drizzle-orm";
import type { AppDatabase } from "./db/database.ts";
import { users } from "./db/schema.ts";
import { recordDispatch } from "./lib/dispatches.ts";
import type { Services } from "./lib/services.ts";
import { tipsEmail } from "./tips.ts";

/** The recipes' names, as `AUTH_RECIPES` lists them. */
export const RECIPE_NAMES = [
  "welcome-email",
  "slack",
  "stripe-customer",
  "segment",
  "posthog",
  "webhook",
] as const;

export interface AppEventsOptions {
  services: Services;
  /** Where onCustomerCreated stores the Stripe customer id. */
  db: AppDatabase;
  /**
   * The recipes to run, by name.
   * @default all of them
   */
  enabled?: ReadonlySet<string>;
  /**
   * Bounds each recipe's handler, in ms.
   * @default 5000
   */
  timeoutMs?: number;
  /** Logs each event's outcome, recipe by recipe. */
  debug?: boolean;
  /**
   * Queue mode: the events only add jobs to this queue, and `scripts/worker.ts` runs the same recipes.
   * @default none: the recipes run in the request
   */
  queue?: Queue;
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

/**
 * The enabled recipes, made from the services: the one list both the app and the queue worker run, so the
 * two processes handle the same events with the same recipes.
 */
export function appRecipes(options: Omit<AppEventsOptions, "queue" | "debug">): RecipeInput[] {
  const { services, db } = options;
  const { smtp, slack, stripe, segment, posthog, webhook, resend } = services;
  const on = options.enabled ?? new Set<string>(RECIPE_NAMES);
  return [
    on.has("welcome-email") &&
      welcomeEmail({
        // Resend when chosen (EMAIL_TRANSPORT=resend or RESEND_API_KEY): one email per user, whatever
        // the retries; else the SMTP server the magic links go through.
        transport: resend ? resendTransport(resend.client) : smtp.transport,
        from: smtp.from,
        appName: "Auth Recipes demo",
      }),
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
    on.has("posthog") && posthogTracking({ posthog: posthog.posthog }),
    on.has("webhook") && signedWebhook({ url: webhook.url, secret: webhook.secret }),
  ];
}

/**
 * One line per failed recipe: the recipe, the event and the cause, which core has already redacted of
 * email addresses and keys. Never the event's payload.
 */
export function logRecipeError(error: RecipeError): void {
  console.error(`[auth-recipes] ${error.message}`);
}

/** One line per event: how long each recipe took and how it ended. */
export function logDispatch(report: DispatchReport): void {
  const results = report.results
    .map((result) => `${result.recipe} ${result.status} ${Math.round(result.durationMs)} ms`)
    .join(", ");
  console.log(
    `[auth-recipes] ${report.event} settled in ${Math.round(report.durationMs)} ms: ${results}`,
  );
}

/**
 * The app's `events`: the recipes composed into one object, which next-auth v4's `NextAuthOptions`
 * and Auth.js v5's config both take as they are.
 */
export function appEvents(options: AppEventsOptions): ComposedEvents {
  const recipes = appRecipes(options);
  return composeEvents(
    options.queue
      ? [
          enqueueRecipes([...recipes, ...tipsEmail(options.services, options.enabled)], {
            queue: options.queue,
          }),
        ]
      : recipes,
    {
      timeoutMs: options.timeoutMs ?? 5_000,
      onError: logRecipeError,
      // Every dispatch is kept for the deliveries page's timeline; logged too with debug.
      onSettled: (report) => {
        recordDispatch(report);
        if (options.debug) logDispatch(report);
      },
    },
  );
}
