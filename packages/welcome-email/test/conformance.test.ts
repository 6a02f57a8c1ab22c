import { type SmtpEmulator, startSmtpServer } from "@auth-recipes/testing";
import { testRecipe } from "@auth-recipes/testing/vitest";
import { expect } from "vitest";
import { type WelcomeEmailOptions, welcomeEmail } from "../src/index.ts";

const SMTP_PASS = "smtp-pass-fixture-7f3a";
const LEGIT = /^[^@\s]+@example\.test$/;

testRecipe<SmtpEmulator, WelcomeEmailOptions>({
  name: "welcome-email",
  start: () => startSmtpServer({ auth: { user: "mailer", pass: SMTP_PASS } }),
  factory: welcomeEmail,
  // The URL form, as next-auth's EMAIL_SERVER: the recipe makes its own transporter, with the password.
  options: (smtp) => ({ transport: smtp.smtpUrl, from: "Acme <hello@acme.test>", appName: "Acme" }),
  required: ["transport", "from"],
  delivered: (smtp, { user }) => {
    expect(smtp.messages).toHaveLength(1);
    const [mail] = smtp.messages;
    expect(mail?.envelope.to).toEqual([user.email]);
    expect(mail?.text).toContain(`Hi ${user.name},`);
    expect(mail?.html).toContain(`Hi <bdi>${user.name}</bdi>,`);
  },
  injected: (smtp) => {
    for (const request of smtp.requests) {
      if (request.envelope.to.length !== 1 || !LEGIT.test(request.envelope.to[0] ?? "")) {
        return `a transaction went to ${JSON.stringify(request.envelope.to)}`;
      }
    }
    for (const mail of smtp.messages) {
      for (const header of ["bcc", "cc", "x-injected"]) {
        if (mail.headers[header] !== undefined) return `a message has a ${header} header`;
      }
      if (/<(script|img|a|b)[\s>]/i.test(mail.html ?? "")) {
        return `a name's markup reached the HTML part of the mail to ${mail.envelope.to[0]}`;
      }
    }
    return undefined;
  },
  secrets: () => [SMTP_PASS],
});
