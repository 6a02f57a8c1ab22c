import { DrizzleAdapter } from "@auth/drizzle-adapter";
import {
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
import type { NextAuthOptions } from "next-auth";
import EmailProvider from "next-auth/providers/email";
import { db } from "./db/database.ts";
import { accounts, sessions, users, verificationTokens } from "./db/schema.ts";
import { getServices } from "./lib/services.ts";

/** The recipes' names, as `AUTH_RECIPES` lists them. */
export const RECIPE_NAMES = ["welcome-email", "slack", "stripe-customer", "segment"] as const;

/**
 * Which recipes run: `AUTH_RECIPES` as a comma-separated list of names, `none` for none (the browser
 * tests measure sign-in without them), all four when unset.
 */
function enabledRecipes(): Set<string> {
  const value = process.env.AUTH_RECIPES?.trim();
  if (!value) return new Set(RECIPE_NAMES);
  return new Set(value.split(",").map((name) => name.trim()));
}

function timeoutMs(): number {
  const value = Number(process.env.AUTH_RECIPES_TIMEOUT_MS || 5_000);
  return Number.isFinite(value) && value > 0 ? value : 5_000;
}

/** The user's Stripe customer id, from the column onCustomerCreated writes. */
export function stripeCustomerIdOf(userId: string): string | null {
  const row = db()
    .select({ id: users.stripeCustomerId })
    .from(users)
    .where(eq(users.id, userId))
    .get();
  return row?.id ?? null;
}

function idOf(user: { id?: unknown }): string {
  if (typeof user.id !== "string") throw new TypeError("next-auth passed a user without an id");
  return user.id;
}

function recipes(): RecipeInput[] {
  const { smtp, slack, stripe, segment } = getServices();
  const on = enabledRecipes();
  return [
    on.has("welcome-email") &&
      welcomeEmail({ transport: smtp.transport, from: smtp.from, appName: "Auth Recipes demo" }),
    on.has("slack") && slackNotify({ client: slack.client, channel: slack.channel }),
    on.has("stripe-customer") &&
      stripeCustomer({
        stripe: stripe.stripe,
        // The column is the source of truth: a user who has a customer never gets a second one.
        getCustomerId: (user) => stripeCustomerIdOf(idOf(user)),
        onCustomerCreated: ({ user, customer }) => {
          db()
            .update(users)
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

/**
 * The Drizzle adapter on the app's tables, with one fix: its `deleteSession` returns nothing, so
 * next-auth's signOut event would carry `{ session: undefined }` and no recipe could tell who signed
 * out (Segment's Signed Out needs the user id). Returning the deleted row is what the Adapter type asks.
 */
function adapter(): NonNullable<NextAuthOptions["adapter"]> {
  const base = DrizzleAdapter(db(), {
    usersTable: users,
    accountsTable: accounts,
    sessionsTable: sessions,
    verificationTokensTable: verificationTokens,
  }) as NonNullable<NextAuthOptions["adapter"]>;
  return {
    ...base,
    async deleteSession(sessionToken) {
      const row = db()
        .delete(sessions)
        .where(eq(sessions.sessionToken, sessionToken))
        .returning()
        .get();
      return row ?? null;
    },
  };
}

/** With `AUTH_RECIPES_DEBUG=1`, one line per event: how long each recipe took and how it ended. */
function logDispatch(report: DispatchReport): void {
  const results = report.results
    .map((result) => `${result.recipe} ${result.status} ${Math.round(result.durationMs)} ms`)
    .join(", ");
  console.log(
    `[auth-recipes] ${report.event} settled in ${Math.round(report.durationMs)} ms: ${results}`,
  );
}

let options: NextAuthOptions | undefined;

/**
 * next-auth's options, made on first use in a request: the database and the service clients are not
 * opened while `next build` imports the routes.
 */
export function authOptions(): NextAuthOptions {
  if (options) return options;
  const { smtp } = getServices();
  options = {
    adapter: adapter(),
    session: { strategy: "database" },
    providers: [EmailProvider({ server: smtp.server, from: smtp.from, maxAge: 60 * 60 })],
    pages: { signIn: "/signin", verifyRequest: "/check-email" },
    callbacks: {
      session({ session, user }) {
        // The account page needs the id to find the user's row.
        return { ...session, user: { ...session.user, id: user.id } };
      },
    },
    events: composeEvents(recipes(), {
      timeoutMs: timeoutMs(),
      onError: logRecipeError,
      onSettled: process.env.AUTH_RECIPES_DEBUG === "1" ? logDispatch : undefined,
    }),
  };
  return options;
}
