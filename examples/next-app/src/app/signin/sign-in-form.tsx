"use client";

import { signIn } from "next-auth/react";
import { type FormEvent, useState } from "react";

export function SignInForm() {
  const [sending, setSending] = useState(false);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const email = new FormData(event.currentTarget).get("email");
    setSending(true);
    // next-auth posts the address with its CSRF token, then takes the browser to /check-email.
    void signIn("email", { email: String(email ?? ""), callbackUrl: "/account" });
  };
  return (
    <form className="inline" onSubmit={submit}>
      <input
        type="email"
        name="email"
        required
        placeholder="you@example.test"
        aria-label="Email address"
        autoComplete="email"
      />
      <button type="submit" disabled={sending}>
        {sending ? "Sending…" : "Email me a sign-in link"}
      </button>
    </form>
  );
}
