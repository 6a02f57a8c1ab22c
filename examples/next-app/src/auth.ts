import type { NextAuthOptions } from "next-auth";
import EmailProvider from "next-auth/providers/email";
import { appAdapter } from "./db/adapter.ts";
import { db } from "./db/database.ts";
import { appEvents, RECIPE_NAMES } from "./events.ts";
import { getServices } from "./lib/services.ts";
import { appQueue } from "./queue.ts";

/**
 * Which recipes run: `AUTH_RECIPES` as a comma-separated list of names, `none` for none (the browser
 * tests measure sign-in without them), all four when unset.
 */
export function enabledRecipes(): Set<string> {
  const value = process.env.AUTH_RECIPES?.trim();
  if (!value) return new Set(RECIPE_NAMES);
  if (value === "none") return new Set();
  const names = new Set(value.split(",").map((name) => name.trim()));
  for (const name of names) {
    // A typo must not silently turn a recipe off.
    if (!(RECIPE_NAMES as readonly string[]).includes(name)) {
      throw new TypeError(
        `AUTH_RECIPES names an unknown recipe "${name}": use ${RECIPE_NAMES.join(", ")} or none`,
      );
    }
  }
  return names;
}

export function timeoutMs(): number {
  const value = Number(process.env.AUTH_RECIPES_TIMEOUT_MS || 5_000);
  if (!(value > 0)) {
    throw new RangeError("AUTH_RECIPES_TIMEOUT_MS must be a positive number of milliseconds");
  }
  return value;
}

let options: NextAuthOptions | undefined;

/**
 * next-auth's options, made on first use in a request: the database and the service clients are not
 * opened while `next build` imports the routes.
 */
export function authOptions(): NextAuthOptions {
  if (options) return options;
  const services = getServices();
  options = {
    // @auth/drizzle-adapter's Adapter is @auth/core's; v4's type differs only in optional details.
    adapter: appAdapter(db()) as NextAuthOptions["adapter"],
    session: { strategy: "database" },
    providers: [
      EmailProvider({ server: services.smtp.server, from: services.smtp.from, maxAge: 60 * 60 }),
    ],
    // Every page a person can land on is the app's own: a used or expired link (error=Verification)
    // comes back to the sign-in page, which says so and asks for a new link, instead of next-auth's
    // unstyled error page.
    pages: { signIn: "/signin", verifyRequest: "/check-email", error: "/signin" },
    callbacks: {
      session({ session, user }) {
        // The account page needs the id to find the user's row.
        return { ...session, user: { ...session.user, id: user.id } };
      },
    },
    events: appEvents({
      services,
      db: db(),
      enabled: enabledRecipes(),
      timeoutMs: timeoutMs(),
      debug: process.env.AUTH_RECIPES_DEBUG === "1",
      queue: appQueue(),
    }),
  };
  return options;
}
