// On Vercel: the response goes out at once, the function stays alive until the side effects settle.
import { composeEvents } from "@auth-recipes/core";
import { welcomeEmail } from "@auth-recipes/welcome-email";
import { waitUntil } from "@vercel/functions";

export const events = composeEvents(
  [welcomeEmail({ transport: process.env.EMAIL_SERVER!, from: "hello@acme.com" })],
  { waitUntil },
);
