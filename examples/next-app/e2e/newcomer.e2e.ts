// The demo as a newcomer meets it: on a phone's width (390 px) no page is wider than the screen and no
// value is squeezed into a sliver; a used sign-in link lands on the app's own sign-in page, which says
// what happened; and the browser finds an icon (no 404 for /favicon.ico). Screenshots of each page at
// phone width go to artifacts/.
import type { Page, Response } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startApp, type TestApp } from "./support/app.ts";
import { artifactPath } from "./support/artifacts.ts";
import { launchBrowser, type TestBrowser } from "./support/browser.ts";
import { type Emulators, startAll } from "./support/emulators.ts";
import { newEmail, nextSignInLink, requestLinkByFetch } from "./support/flow.ts";
import { layoutReport, PHONE } from "./support/layout.ts";

let emulators: Emulators;
let app: TestApp;
let browser: TestBrowser;

beforeAll(async () => {
  emulators = await startAll();
  app = await startApp(emulators);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await emulators?.close();
});

/** Every response of the app that failed (4xx, 5xx) while `page` was open. */
function failedResponses(page: Page): string[] {
  const failed: string[] = [];
  page.on("response", (response: Response) => {
    if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
  });
  return failed;
}

/** How wide the page is, and the value cells (`dd`) narrower than a short word, with their text. */
function layout(page: Page) {
  return page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    squeezed: [...document.querySelectorAll("dd, td")]
      .filter((el) => (el.textContent ?? "").trim().length > 8)
      .map((el) => ({ text: el.textContent ?? "", width: el.getBoundingClientRect().width }))
      .filter((cell) => cell.width > 0 && cell.width < 120),
  }));
}

describe("the demo on a phone, as a newcomer meets it", () => {
  const email = newEmail("newcomer-with-a-long-address");
  let link: string;

  test("no page is wider than a 390 px screen, and no value is squeezed", async () => {
    await requestLinkByFetch(app.origin, email);
    link = await nextSignInLink(emulators.smtp, email, 0);
    const page = await browser.context.newPage();
    await page.setViewportSize(PHONE);
    const failed = failedResponses(page);

    const pages: Array<[string, string]> = [
      ["home", "/"],
      ["signin", "/signin"],
      ["check-email", "/check-email"],
      ["deliveries", "/deliveries"],
    ];
    for (const [name, path] of pages) {
      await page.goto(`${app.origin}${path}`);
      if (name === "deliveries") await page.getByTestId("sign-in-link").first().waitFor();
      const { scrollWidth, squeezed } = await layout(page);
      expect({ name, scrollWidth }).toEqual({ name, scrollWidth: PHONE.width });
      expect({ name, squeezed }).toEqual({ name, squeezed: [] });
      await page.screenshot({ path: artifactPath(`phone-${name}.png`), fullPage: true });
    }

    // Signed in, the header holds the (long) address and the account page the ids.
    await page.goto(link);
    await page.waitForURL(`${app.origin}/**`);
    await page.goto(`${app.origin}/account`);
    await page.getByTestId("user-id").waitFor();
    const { scrollWidth, squeezed } = await layout(page);
    expect({ scrollWidth, squeezed }).toEqual({ scrollWidth: PHONE.width, squeezed: [] });
    await page.screenshot({ path: artifactPath("phone-account.png"), fullPage: true });

    // Deliveries after the sign-up, as the user sees it next: the timeline drawn, every service's
    // card filled (the long address in the Slack message), all of it within the phone's width.
    await page.goto(`${app.origin}/deliveries`);
    await page.locator('[data-testid="dispatch"][data-event="createUser"]').first().waitFor();
    await page.getByTestId("delivered-slack").first().waitFor();
    await page.getByTestId("delivered-customer").first().waitFor();
    await expect(layoutReport(page)).resolves.toEqual({
      scrollWidth: PHONE.width,
      outsideCards: [],
      overlappingTicks: [],
    });
    await page.screenshot({
      path: artifactPath("phone-deliveries-after-sign-up.png"),
      fullPage: true,
    });
    expect(failed).toEqual([]);
    await page.close();
  });

  test("a used sign-in link lands on the app's sign-in page, which says it was used", async () => {
    const user = newEmail("used-link");
    await requestLinkByFetch(app.origin, user);
    const used = await nextSignInLink(emulators.smtp, user, 0);
    const first = await browser.context.newPage();
    await first.goto(used);
    expect(new URL(first.url()).pathname).toBe("/account");
    await first.close();

    // The same link again, from a browser with no session: next-auth refuses it (error=Verification).
    const other = await launchBrowser();
    try {
      const page = await other.context.newPage();
      await page.setViewportSize(PHONE);
      const failed = failedResponses(page);
      await page.goto(used);
      const url = new URL(page.url());
      expect(`${url.pathname}?error=${url.searchParams.get("error")}`).toBe(
        "/signin?error=Verification",
      );
      // The app's page (its header, its form), not next-auth's built-in one under /api/auth/error.
      // (Next.js adds a route announcer with role="alert" too: ask for the page's own message.)
      await expect(page.locator("main [role=alert]").textContent()).resolves.toContain(
        "expired or was already used",
      );
      await expect(page.locator("header.top").count()).resolves.toBe(1);
      await expect(page.getByLabel("Email address").count()).resolves.toBe(1);
      const { scrollWidth } = await layout(page);
      expect(scrollWidth).toBe(PHONE.width);
      await page.screenshot({ path: artifactPath("phone-used-link.png"), fullPage: true });
      // next-auth answers the callback with a redirect, not an error status: nothing failed.
      expect(failed).toEqual([]);
    } finally {
      await other.close();
    }
  });

  test("the browser finds the app's icon: no request for it fails", async () => {
    const page = await browser.context.newPage();
    const failed = failedResponses(page);
    await page.goto(`${app.origin}/`);
    const icons = page.locator('link[rel="icon"]');
    await expect(icons.count()).resolves.toBeGreaterThan(0);
    const href = await icons.first().getAttribute("href");
    expect(href).toBeTruthy();
    const icon = await fetch(new URL(href ?? "", app.origin));
    expect(icon.status).toBe(200);
    expect(icon.headers.get("content-type")).toContain("image/svg+xml");
    // Chromium asks for /favicon.ico only when a page names no icon: give it time to ask.
    await page.waitForTimeout(500);
    expect(failed.filter((line) => line.includes("favicon"))).toEqual([]);
    expect(failed).toEqual([]);
    await page.close();
  });
});
