import type { SmtpEmulator } from "@auth-recipes/testing";
import type { Page } from "playwright-core";

/** Resolves with `check()`'s first defined value; rejects after `ms` with what it was waiting for. */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined,
  ms = 10_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((wake) => setTimeout(wake, 25));
  }
}

const LINK = /https?:\/\/\S+\/api\/auth\/callback\/email\?\S+/;

/** The sign-in links the SMTP emulator holds for an address, oldest first. */
export function signInLinks(smtp: SmtpEmulator, email: string): string[] {
  return smtp.messages
    .filter((mail) => mail.envelope.to.includes(email))
    .map((mail) => LINK.exec(mail.text)?.[0])
    .filter((link): link is string => link !== undefined);
}

/** Waits for the next sign-in link to an address, after the `known` ones. */
export function nextSignInLink(smtp: SmtpEmulator, email: string, known: number): Promise<string> {
  return waitFor(`a sign-in email to the user`, () => signInLinks(smtp, email)[known]);
}

/** Asks for a sign-in link through the app's sign-in page, as a person would. */
export async function requestLinkInBrowser(page: Page, origin: string, email: string) {
  await page.goto(`${origin}/signin`);
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  await page.waitForURL(`${origin}/check-email**`);
}

/** Asks for a sign-in link with plain HTTP: the CSRF token, then the form post. */
export async function requestLinkByFetch(origin: string, email: string): Promise<void> {
  const csrf = await fetch(`${origin}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookie = csrf.headers
    .getSetCookie()
    .map((value) => value.split(";")[0])
    .join("; ");
  const response = await fetch(`${origin}/api/auth/signin/email`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie },
    body: new URLSearchParams({ email, csrfToken, callbackUrl: `${origin}/account`, json: "true" }),
  });
  const { url } = (await response.json()) as { url: string };
  if (!url.includes("verify-request")) throw new Error(`sign-in was refused: ${url}`);
}

/** A new address per test run, so that every run signs up a new user. */
export function newEmail(label: string): string {
  return `${label}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.test`;
}
