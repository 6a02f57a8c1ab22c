import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startApp, type TestApp } from "./support/app.ts";
import { artifactPath } from "./support/artifacts.ts";
import { launchBrowser, type TestBrowser } from "./support/browser.ts";
import { type Emulators, startAll } from "./support/emulators.ts";
import { newEmail, nextSignInLink, requestLinkInBrowser } from "./support/flow.ts";

// Short, so that the test is quick; the sign-up must wait for it once (Slack hangs), never longer.
const TIMEOUT_MS = 1_500;

let emulators: Emulators;
let app: TestApp;
let browser: TestBrowser;

beforeAll(async () => {
  emulators = await startAll();
  app = await startApp(emulators, { AUTH_RECIPES_TIMEOUT_MS: String(TIMEOUT_MS) });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await emulators?.close();
});

describe("sign-up while Stripe fails and Slack hangs", () => {
  test("completes within the timeout, the other recipes deliver, and the log names each failed recipe once without the address", async () => {
    const email = newEmail("faults");
    const page = await browser.context.newPage();
    await requestLinkInBrowser(page, app.origin, email);
    const link = await nextSignInLink(emulators.smtp, email, 0);

    emulators.stripe.fail({ times: Number.POSITIVE_INFINITY, status: 500 });
    emulators.slack.hang();
    const mark = app.mark();
    const started = performance.now();
    await page.goto(link);
    await page.waitForURL(`${app.origin}/account`);
    const elapsed = performance.now() - started;
    console.log(
      `sign-up with Stripe failing and Slack hanging: ${Math.round(elapsed)} ms (timeout ${TIMEOUT_MS} ms)`,
    );

    // Slack's hang was waited out by the timeout, and no longer.
    expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS);
    expect(elapsed).toBeLessThan(TIMEOUT_MS + 3_000);

    // The user exists and is signed in; without a Stripe customer.
    const row = app.userRow(email);
    expect(row).toBeDefined();
    expect(row!.stripeCustomerId).toBeNull();
    expect(await page.getByTestId("user-id").textContent()).toBe(row!.id);

    // The failing services were reached and kept nothing.
    expect(emulators.stripe.requests.length).toBeGreaterThan(0);
    expect(emulators.stripe.customers).toHaveLength(0);
    expect(emulators.slack.requests.length).toBeGreaterThan(0);
    expect(emulators.slack.messages).toHaveLength(0);

    // The others delivered.
    const welcome = emulators.smtp.messages.filter(
      (mail) => mail.envelope.to.includes(email) && /welcome/i.test(mail.subject),
    );
    expect(welcome).toHaveLength(1);
    const segment = emulators.segment.messages.filter((message) => message.userId === row!.id);
    expect(segment.map((message) => message.event ?? message.type)).toEqual([
      "identify",
      "Signed Up",
      "Signed In",
    ]);

    // The deliveries page's timeline shows it: Slack's bar cut at the timeout, Stripe's failed, the
    // other two delivered, all four started together.
    await page.goto(`${app.origin}/deliveries`);
    const createUser = page.locator('[data-testid="dispatch"][data-event="createUser"]').first();
    await createUser.waitFor();
    await page
      .locator("section.timeline")
      .screenshot({ path: artifactPath("deliveries-timeline.png") });
    const bars = await createUser.getByTestId("dispatch-bar").evaluateAll((nodes) =>
      nodes.map((node) => ({
        recipe: node.getAttribute("data-recipe"),
        status: node.getAttribute("data-status"),
        timedOut: node.getAttribute("data-timed-out") === "true",
        left: node.getBoundingClientRect().left,
        width: node.getBoundingClientRect().width,
      })),
    );
    expect(bars.map(({ recipe, status, timedOut }) => [recipe, status, timedOut])).toEqual([
      ["welcome-email", "fulfilled", false],
      ["slack", "rejected", true],
      ["stripe-customer", "rejected", false],
      ["segment", "fulfilled", false],
      ["posthog", "fulfilled", false],
      ["webhook", "fulfilled", false],
    ]);
    const slack = bars[1]!;
    expect(new Set(bars.map((bar) => Math.round(bar.left))).size).toBe(1);
    // Every recipe shares the timeout, so none can outlast Slack's: its bar is the longest.
    for (const other of bars) expect(other.width).toBeLessThanOrEqual(slack.width + 1);
    // Slack's bar ends at its timeout (a timer fires no sooner; on a busy machine, a little later).
    const slackText = /timed out after (\d+\.\d+) s/.exec((await createUser.textContent()) ?? "");
    expect(Number(slackText?.[1])).toBeGreaterThanOrEqual(TIMEOUT_MS / 1000);
    expect(await createUser.textContent()).not.toContain(email);
    await page
      .locator("section.timeline")
      .screenshot({ path: artifactPath("deliveries-timeline.png") });

    // One line per failed recipe, naming it; no email address anywhere in what the server printed.
    const log = app.logSince(mark);
    const stripeLines = log.filter((line) => line.includes('recipe "stripe-customer"'));
    const slackLines = log.filter((line) => line.includes('recipe "slack"'));
    expect(stripeLines, log.join("\n")).toHaveLength(1);
    expect(slackLines, log.join("\n")).toHaveLength(1);
    expect(slackLines[0]).toMatch(/timed out/);
    expect(log.filter((line) => /recipe "(welcome-email|segment)"/.test(line))).toEqual([]);
    expect(app.log.join("\n")).not.toContain(email);
    expect(app.log.join("\n")).not.toMatch(/[\w.+-]+@example\.test/);
    console.log(`server log:\n  ${[...stripeLines, ...slackLines].join("\n  ")}`);

    await page.close();
  });
});
