import { type ResendEmulator, startResendApi } from "@auth-recipes/testing";
import { testRecipe } from "@auth-recipes/testing/vitest";
import { type WelcomeEmailOptions, welcomeEmail } from "@auth-recipes/welcome-email";
import { Resend } from "resend";
import { expect } from "vitest";
import { resendTransport } from "../src/index.ts";

const API_KEY = "re_conformance_key_5b1c";
const LEGIT = /^[^@\s]+@example\.test$/;

// The welcome email over Resend: the same conformance suite as over SMTP, plus its effects counted at the
// emulator (one email per user, whatever the retries), which SMTP cannot promise.
testRecipe<ResendEmulator, WelcomeEmailOptions>({
  name: "welcome-email",
  start: () => startResendApi({ apiKey: API_KEY }),
  factory: welcomeEmail,
  options: (emulator) => ({
    transport: resendTransport(new Resend(emulator.apiKey, emulator.clientOptions)),
    from: "Acme <hello@acme.test>",
    appName: "Acme",
  }),
  required: ["transport", "from"],
  delivered: (emulator, { user }) => {
    expect(emulator.emails).toHaveLength(1);
    const [email] = emulator.emails;
    expect(email?.to).toEqual([user.email]);
    expect(email?.idempotencyKey).toBe(`welcome-email/welcome-email/${user.id}`);
    expect(email?.text).toContain(`Hi ${user.name},`);
    expect(email?.html).toContain(`Hi <bdi>${user.name}</bdi>,`);
  },
  injected: (emulator) => {
    for (const email of emulator.emails) {
      if (email.to.length !== 1 || !LEGIT.test(email.to[0] ?? "")) {
        return `an email went to ${JSON.stringify(email.to)}`;
      }
      if (email.cc || email.bcc) return "an email has cc or bcc";
      if (/<(script|img|a|b)[\s>]/i.test(email.html ?? "")) {
        return `a name's markup reached the HTML of the email to ${email.to[0]}`;
      }
      if (/[\r\n]/.test(email.subject)) return "a subject holds a line break";
    }
    return undefined;
  },
  secrets: (emulator) => [emulator.apiKey],
  effects: (emulator) => emulator.emails.length,
  timeoutMs: 500,
});
