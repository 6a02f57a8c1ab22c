import { type EmailTransport, welcomeEmail } from "@auth-recipes/welcome-email";
import { Resend } from "resend";
import { describe, expectTypeOf, it } from "vitest";
import { resendTransport } from "../src/index.ts";

describe("resendTransport types", () => {
  it("takes a Resend client and gives welcomeEmail a transport", () => {
    const transport = resendTransport(new Resend("re_types"));
    expectTypeOf(transport).toEqualTypeOf<EmailTransport>();
    welcomeEmail({ transport, from: "hello@acme.test", render: () => ({ react: {} }) });
    // @ts-expect-error: not a Resend client
    resendTransport({ apiKey: "re_types" });
  });
});
