import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startApp, type TestApp } from "./support/app.ts";
import { artifactPath } from "./support/artifacts.ts";
import { launchBrowser, type TestBrowser } from "./support/browser.ts";
import { type Emulators, startAll } from "./support/emulators.ts";
import {
  newEmail,
  nextSignInLink,
  requestLinkInBrowser,
  signInLinks,
  waitFor,
} from "./support/flow.ts";

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

const email = newEmail("sign-up");

/** The mails to the user that are not sign-in links: the welcome emails. */
function welcomeEmails() {
  return emulators.smtp.messages.filter(
    (mail) => mail.envelope.to.includes(email) && !mail.text.includes("/api/auth/callback/email"),
  );
}

function segmentCalls(userId: string) {
  return emulators.segment.messages.filter((message) => message.userId === userId);
}

function tracked(userId: string, event: string) {
  return segmentCalls(userId).filter((call) => call.type === "track" && call.event === event);
}

describe("sign-up by email in a browser, with all four recipes", () => {
  let userId: string;

  test("a new user opens the magic link from the deliveries page; every service receives its effect once", async () => {
    const page = await browser.context.newPage();
    await requestLinkInBrowser(page, app.origin, email);
    const link = await nextSignInLink(emulators.smtp, email, 0);

    // The link is reachable from the deliveries page, which reads the emulators' inbox.
    await page.goto(`${app.origin}/deliveries`);
    const linkOnPage = page.getByTestId("sign-in-link").first();
    await linkOnPage.waitFor();
    expect(await linkOnPage.getAttribute("href")).toBe(link);
    await linkOnPage.click();
    await page.waitForURL(`${app.origin}/account`);

    const row = app.userRow(email);
    expect(row, "the user row").toBeDefined();
    userId = row!.id;
    expect(await page.getByTestId("user-id").textContent()).toBe(userId);

    // Welcome email: one, to that address.
    const welcome = welcomeEmails();
    expect(welcome).toHaveLength(1);
    expect(welcome[0]!.envelope.to).toEqual([email]);
    expect(welcome[0]!.subject).toMatch(/welcome/i);

    // Slack: one message, about this user.
    expect(emulators.slack.messages).toHaveLength(1);
    expect(emulators.slack.messages[0]!.text).toContain(email);

    // Stripe: one customer, owned by the new user, and its id stored on the user's row.
    expect(emulators.stripe.customers).toHaveLength(1);
    const customer = emulators.stripe.customers[0]!;
    expect(customer.metadata.userId).toBe(userId);
    expect(customer.email).toBe(email);
    expect(app.userRow(email)?.stripeCustomerId).toBe(customer.id);
    expect(await page.getByTestId("stripe-customer-id").textContent()).toBe(customer.id);

    // Segment: identify, Signed Up and Signed In, all for the database id.
    const identify = segmentCalls(userId).filter((call) => call.type === "identify");
    expect(identify).toHaveLength(1);
    expect(identify[0]!.traits).toMatchObject({ email });
    expect(tracked(userId, "Signed Up")).toHaveLength(1);
    expect(tracked(userId, "Signed In")).toHaveLength(1);
    expect(tracked(userId, "Signed In")[0]!.properties).toMatchObject({
      provider: "email",
      isNewUser: true,
    });

    await page.screenshot({ path: artifactPath("signed-in.png"), fullPage: true });

    // The deliveries page shows every effect, live.
    await page.goto(`${app.origin}/deliveries`);
    await page.locator("iframe.mail").first().waitFor();
    await page.getByTestId("delivered-slack").first().waitFor();
    await page.getByTestId("delivered-customer").getByText(customer.id).waitFor();
    await page.getByTestId("delivered-segment").nth(2).waitFor();
    // The timeline: the sign-up's createUser, each recipe delivered.
    const createUser = page.locator('[data-testid="dispatch"][data-event="createUser"]').first();
    await createUser.waitFor();
    const bars = createUser.getByTestId("dispatch-bar");
    expect(
      await bars.evaluateAll((nodes) =>
        nodes.map((node) => [node.getAttribute("data-recipe"), node.getAttribute("data-status")]),
      ),
    ).toEqual([
      ["welcome-email", "fulfilled"],
      ["slack", "fulfilled"],
      ["stripe-customer", "fulfilled"],
      ["segment", "fulfilled"],
      ["posthog", "fulfilled"],
      ["webhook", "fulfilled"],
    ]);
    await page.locator('[data-testid="dispatch"][data-event="signIn"]').first().waitFor();
    await page.screenshot({ path: artifactPath("deliveries.png"), fullPage: true });
    await page.close();
  });

  test("signing out sends Signed Out", async () => {
    const page = await browser.context.newPage();
    await page.goto(`${app.origin}/account`);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(`${app.origin}/`);
    await waitFor("Signed Out at Segment", () =>
      tracked(userId, "Signed Out").length ? true : undefined,
    );
    expect(tracked(userId, "Signed Out")).toHaveLength(1);
    // Signed out for real: the account page sends us to sign in.
    await page.goto(`${app.origin}/account`);
    await page.waitForURL(`${app.origin}/signin**`);
    await page.close();
  });

  test("signing in again sends no second welcome email and creates no second customer", async () => {
    const page = await browser.context.newPage();
    const known = signInLinks(emulators.smtp, email).length;
    await requestLinkInBrowser(page, app.origin, email);
    const link = await nextSignInLink(emulators.smtp, email, known);
    await page.goto(link);
    await page.waitForURL(`${app.origin}/account`);
    expect(await page.getByTestId("user-id").textContent()).toBe(userId);

    expect(welcomeEmails()).toHaveLength(1);
    expect(emulators.stripe.customers).toHaveLength(1);
    expect(emulators.slack.messages).toHaveLength(1);
    expect(tracked(userId, "Signed Up")).toHaveLength(1);
    const signedIn = tracked(userId, "Signed In");
    expect(signedIn).toHaveLength(2);
    expect(signedIn[1]!.properties?.isNewUser).not.toBe(true);
    await page.close();
  });
});
