import type { Recipe } from "@auth-recipes/core";
import type { SmtpEmulator } from "@auth-recipes/testing";
import { createTransport } from "nodemailer";
import type SMTPTransport from "nodemailer/lib/smtp-transport";
import { describe, expectTypeOf, it } from "vitest";
// next-auth v4 apps on nodemailer 7 type their transporters with @types/nodemailer.
import type { Transporter as TransporterV7 } from "../node_modules/@types/nodemailer/index.d.ts";
import type SMTPTransportV7 from "../node_modules/@types/nodemailer/lib/smtp-transport/index.d.ts";
import { type EmailTransport, type WelcomeEmailOptions, welcomeEmail } from "../src/index.ts";

const from = "hello@acme.test";

describe("welcomeEmail", () => {
  it("returns a Recipe", () => {
    expectTypeOf(welcomeEmail).returns.toEqualTypeOf<Recipe>();
  });

  it("takes a transporter from nodemailer 10 or from @types/nodemailer (nodemailer 7)", () => {
    welcomeEmail({ transport: createTransport({ host: "smtp.example.test" }), from });
    welcomeEmail({ transport: createTransport({ host: "h", pool: true }), from });
    welcomeEmail({ transport: {} as TransporterV7<SMTPTransportV7.SentMessageInfo>, from });
  });

  it("takes an SMTP URL or SMTP options, typed or literal", () => {
    welcomeEmail({ transport: "smtp://user:pass@smtp.example.test:587", from });
    welcomeEmail({ transport: {} as SMTPTransport.Options, from });
    welcomeEmail({ transport: {} as SMTPTransportV7.Options, from });
    welcomeEmail({ transport: {} as SmtpEmulator["clientOptions"], from });
    welcomeEmail({
      transport: {
        host: "h",
        port: 587,
        secure: false,
        auth: { user: "u", pass: "p" },
        pool: true,
      },
      from,
    });
  });

  it("types the callbacks", () => {
    welcomeEmail({
      transport: "smtp://h",
      from: { name: "Acme", address: from },
      subject: (user) => `Hi ${user.name ?? ""}`,
      shouldSend: async (user) => user.email !== undefined,
      render: async ({ user, appName }) => ({
        subject: `${appName} ${user.name}`,
        text: "t",
        html: "<p>h</p>",
      }),
    });
    expectTypeOf<WelcomeEmailOptions["on"]>().toEqualTypeOf<"createUser" | "signIn" | undefined>();
  });

  it("rejects what is not an option", () => {
    // @ts-expect-error: "createdUser" is not an event it sends on
    welcomeEmail({ transport: "smtp://h", from, on: "createdUser" });
    // @ts-expect-error: from is required
    welcomeEmail({ transport: "smtp://h" });
    // @ts-expect-error: render must return text
    welcomeEmail({ transport: "smtp://h", from, render: () => ({ html: "<p>x</p>" }) });
    // @ts-expect-error: a transport is not a number
    welcomeEmail({ transport: 25, from });
    // @ts-expect-error: react is an element, not a string
    welcomeEmail({ transport: "smtp://h", from, render: () => ({ react: "<p>x</p>" }) });
  });

  it("takes an EmailTransport, and react content without text", () => {
    const transport: EmailTransport = {
      name: "custom",
      react: true,
      sendEmail: async (_email, { idempotencyKey, signal, deadline }) => {
        expectTypeOf(idempotencyKey).toEqualTypeOf<string>();
        expectTypeOf(signal).toEqualTypeOf<AbortSignal>();
        expectTypeOf(deadline).toEqualTypeOf<number>();
        return { id: "e1" };
      },
    };
    welcomeEmail({ transport, from, render: () => ({ react: { type: "p" } }) });
    welcomeEmail({ transport: { name: "void", sendEmail: async () => {} }, from });
  });
});
