// In Next.js 15+: `after` runs the side effects once the response has been sent.
import { composeEvents } from "@auth-recipes/core";
import { welcomeEmail } from "@auth-recipes/welcome-email";
import { after } from "next/server";

export const events = composeEvents(
  [welcomeEmail({ transport: process.env.EMAIL_SERVER!, from: "hello@acme.com" })],
  // Outside a request `after` throws; the composed callback then waits for the work itself.
  { waitUntil: after },
);
