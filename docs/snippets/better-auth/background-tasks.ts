// On Vercel: the hooks hand the side effects to waitUntil and return at once.
import { authRecipes } from "@auth-recipes/better-auth";
import { welcomeEmail } from "@auth-recipes/welcome-email";
import { waitUntil } from "@vercel/functions";
import { betterAuth } from "better-auth";
import Database from "better-sqlite3";

export const auth = betterAuth({
  database: new Database("auth.sqlite"),
  emailAndPassword: { enabled: true },
  advanced: { backgroundTasks: { handler: waitUntil } },
  plugins: [
    authRecipes([welcomeEmail({ transport: process.env.SMTP_URL!, from: "hello@acme.com" })]),
  ],
});
