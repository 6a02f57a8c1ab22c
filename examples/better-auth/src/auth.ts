import { authRecipes } from "@auth-recipes/better-auth";
import type { DispatchReport, RecipeInput } from "@auth-recipes/core";
import { type BetterAuthOptions, betterAuth } from "better-auth";
import { getMigrations } from "better-auth/db/migration";
import Database from "better-sqlite3";

export interface AuthOptions {
  recipes: readonly RecipeInput[];
  /** Where the server listens: better-auth's `baseURL`, also its trusted origin. */
  baseURL: string;
  /** The SQLite file; `:memory:` keeps nothing. */
  databasePath: string;
  /** Called with each event's outcome, once every recipe settled (the demo prints one line). */
  onSettled?: (report: DispatchReport) => void;
}

/** The app's better-auth: SQLite through better-sqlite3, email and password, the recipes as a plugin. */
export async function createAuth(options: AuthOptions) {
  const database = new Database(options.databasePath);
  const config = {
    baseURL: options.baseURL,
    secret: process.env.BETTER_AUTH_SECRET ?? "example-only-secret-change-me-0123456789abcdef",
    database,
    emailAndPassword: { enabled: true },
    telemetry: { enabled: false },
    plugins: [
      authRecipes(options.recipes, {
        timeoutMs: 3_000,
        retry: { retries: 1 },
        // One line per failed recipe; never the user's data.
        onError: (error) => console.error(`[example] ${error.message}`),
        onSettled: options.onSettled,
      }),
    ],
  } satisfies BetterAuthOptions;
  // better-auth creates its tables (user, session, account, verification) on first start.
  await (await getMigrations(config)).runMigrations();
  const auth = betterAuth(config);
  return { auth, close: () => database.close() };
}
