import { composeEvents } from "@auth-recipes/core";
import { welcomeEmail } from "@auth-recipes/welcome-email";

export const events = composeEvents([
  welcomeEmail({
    // The SMTP URL next-auth's Email provider takes: smtp://user:pass@smtp.example.com:587
    transport: process.env.EMAIL_SERVER!,
    from: "Acme <hello@acme.com>",
    appName: "Acme",
    replyTo: "support@acme.com",
  }),
]);
