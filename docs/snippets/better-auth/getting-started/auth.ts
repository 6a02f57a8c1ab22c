// auth.ts: better-auth on SQLite, email and password, and one recipe as its plugin: a welcome email.
import { authRecipes } from "@auth-recipes/better-auth";
import { welcomeEmail } from "@auth-recipes/welcome-email";
import { betterAuth } from "better-auth";
import Database from "better-sqlite3";

export const auth = betterAuth({
  // better-auth reads BETTER_AUTH_URL and BETTER_AUTH_SECRET from the environment.
  database: new Database(process.env.DATABASE_PATH ?? "auth.sqlite"),
  emailAndPassword: { enabled: true },
  plugins: [
    authRecipes(
      [welcomeEmail({ transport: process.env.EMAIL_SERVER!, from: "Acme <hello@acme.com>" })],
      { timeoutMs: 5_000, retry: true },
    ),
  ],
});
