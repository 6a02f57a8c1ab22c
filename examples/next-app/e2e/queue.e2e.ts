// Queue mode in a browser: the app only enqueues, scripts/worker.ts runs the recipes. The worker is
// SIGKILLed twice (before the sign-up, and while it holds a job), started again, and every delivery still
// arrives at the emulators; the job states are read from Redis itself.
import { findUserJobs, type UserJob } from "@auth-recipes/bullmq";
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  type LocalRedis,
  startLocalRedis,
  startWorker,
  type WorkerProcess,
} from "../scripts/queue-processes.ts";
import { startApp, type TestApp } from "./support/app.ts";
import { artifactPath } from "./support/artifacts.ts";
import { launchBrowser, type TestBrowser } from "./support/browser.ts";
import { type Emulators, startAll } from "./support/emulators.ts";
import { newEmail, nextSignInLink, requestLinkInBrowser, waitFor } from "./support/flow.ts";
import { layoutReport, PHONE } from "./support/layout.ts";

let redis: LocalRedis;
let emulators: Emulators;
let app: TestApp;
let browser: TestBrowser;
let queue: Queue;
let worker: WorkerProcess | undefined;

/** The worker's variables: the app's, and a short lock so a killed worker's job comes back in seconds. */
function workerEnv(): Record<string, string> {
  return {
    ...emulators.env,
    DATABASE_PATH: app.databasePath,
    AUTH_RECIPES_REDIS_URL: redis.url,
    AUTH_RECIPES_LOCK_MS: "1500",
    // The demo's tips email waits 30 s in the delayed set: these tests count the other jobs.
    AUTH_RECIPES_TIPS_MS: "off",
  };
}

async function runWorker(): Promise<WorkerProcess> {
  worker = startWorker(
    workerEnv(),
    process.env.E2E_SERVER_LOG ? (line) => console.log(`[worker] ${line}`) : undefined,
  );
  await worker.ready;
  return worker;
}

/** SIGKILL: no close(), no lock released, nothing flushed; as a crash or an OOM kill. */
async function killWorker(): Promise<void> {
  const running = worker;
  worker = undefined;
  if (!running || running.child.exitCode !== null) return;
  const gone = new Promise((resolve) => running.child.once("exit", resolve));
  running.child.kill("SIGKILL");
  await gone;
}

beforeAll(async () => {
  redis = await startLocalRedis();
  emulators = await startAll();
  app = await startApp(emulators, {
    AUTH_RECIPES_REDIS_URL: redis.url,
    AUTH_RECIPES_TIPS_MS: "off",
  });
  queue = new Queue("auth-recipes", { connection: { host: "127.0.0.1", port: redis.port } });
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  await app?.close();
  await queue?.close();
  await emulators?.close();
  await redis?.stop();
});

async function jobsOf(userId: string): Promise<UserJob[]> {
  return findUserJobs(queue, userId);
}

/** Waits until every job of the user satisfies `check`, and returns them. */
function jobsWhere(userId: string, what: string, check: (jobs: UserJob[]) => boolean, ms = 30_000) {
  let latest: UserJob[] = [];
  let reading = false;
  return waitFor(
    what,
    () => {
      if (!reading) {
        reading = true;
        void jobsOf(userId).then((jobs) => {
          latest = jobs;
          reading = false;
        });
      }
      return latest.length && check(latest) ? latest : undefined;
    },
    ms,
  );
}

const RECIPES = ["welcome-email", "slack", "stripe-customer", "segment", "webhook"];

describe("queue mode: sign-up while the worker is killed", () => {
  test("jobs wait in Redis while no worker runs; a worker killed mid-job is replaced, and every service receives its effect", async () => {
    const email = newEmail("queue");
    await runWorker();
    await killWorker();

    // 1. No worker: the sign-in still completes (it only enqueued), and nothing reaches the services.
    const page = await browser.context.newPage();
    await requestLinkInBrowser(page, app.origin, email);
    const link = await nextSignInLink(emulators.smtp, email, 0);
    await page.goto(link);
    await page.waitForURL(`${app.origin}/account`);
    const userId = app.userRow(email)!.id;
    const waiting = await jobsWhere(userId, "the user's jobs in Redis", (jobs) =>
      RECIPES.every((recipe) => jobs.some((job) => job.recipe === recipe)),
    );
    expect(new Set(waiting.map((job) => job.state))).toEqual(new Set(["waiting"]));
    const mails = () => emulators.smtp.messages.filter((mail) => mail.envelope.to.includes(email));
    expect(mails()).toHaveLength(1); // the sign-in link only: next-auth sends it, not the queue
    expect(emulators.slack.messages).toHaveLength(0);
    expect(emulators.stripe.customers).toHaveLength(0);
    expect(emulators.segment.messages).toHaveLength(0);
    // The pages say why nothing happened: the customer is queued (not "failed"), no worker is connected.
    await page.reload();
    await expect(
      page.getByTestId("stripe-customer-id").locator("[data-state]").getAttribute("data-state"),
    ).resolves.toBe("waiting");
    await expect(page.getByTestId("stripe-customer-id").textContent()).resolves.toContain(
      "waiting for a worker",
    );
    await page.goto(`${app.origin}/deliveries`);
    await page.locator('[data-testid="workers"][data-workers="0"]').waitFor();
    // Every job of the user (createUser's four, signIn's Segment job) is a row that names them.
    await expect(
      page.locator('[data-testid="job"]').filter({ hasText: email }).count(),
    ).resolves.toBe((await jobsOf(userId)).length);

    // 2. A worker runs them; Slack hangs, and the worker is killed while it holds Slack's job.
    emulators.slack.hang();
    await runWorker();
    await jobsWhere(
      userId,
      "every job but Slack's completed, and Slack's active",
      (jobs) =>
        emulators.slack.requests.length > 0 &&
        RECIPES.every((recipe) => jobs.some((job) => job.recipe === recipe)) &&
        jobs.every((job) =>
          job.recipe === "slack" ? job.state === "active" : job.state === "completed",
        ),
    );
    await killWorker();
    const held = (await jobsOf(userId)).find((job) => job.recipe === "slack")!;
    expect(held.state).toBe("active"); // its lock is the dead worker's until it expires

    // 3. Slack answers again; a new worker takes the stalled job back once its lock expires and runs it.
    emulators.slack.reset();
    await runWorker();
    await jobsWhere(
      userId,
      "every job completed",
      (jobs) =>
        RECIPES.every((recipe) => jobs.some((job) => job.recipe === recipe)) &&
        jobs.every((job) => job.state === "completed"),
    );

    // Every effect arrived, once each.
    const welcome = mails().filter((mail) => !mail.text.includes("/api/auth/callback/email"));
    expect(welcome).toHaveLength(1);
    expect(welcome[0]!.subject).toMatch(/welcome/i);
    expect(emulators.slack.messages).toHaveLength(1);
    expect(emulators.slack.messages[0]!.text).toContain(email);
    expect(emulators.stripe.customers).toHaveLength(1);
    expect(emulators.stripe.customers[0]!.metadata.userId).toBe(userId);
    expect(app.userRow(email)!.stripeCustomerId).toBe(emulators.stripe.customers[0]!.id);
    const calls = await waitFor("Segment's calls", () => {
      const mine = emulators.segment.messages.filter((call) => call.userId === userId);
      return mine.length >= 3 ? mine : undefined;
    });
    expect(calls.filter((call) => call.type === "identify")).toHaveLength(1);
    expect(calls.filter((call) => call.event === "Signed Up")).toHaveLength(1);
    expect(calls.filter((call) => call.event === "Signed In")).toHaveLength(1);

    // Deliveries on a phone after the sign-up: the worker's deliveries, the timeline and the jobs
    // (with each job's user, and the worker seen as connected), within the screen's width.
    await page.setViewportSize(PHONE);
    await page.goto(`${app.origin}/deliveries`);
    await page.locator('[data-testid="workers"][data-workers="1"]').waitFor();
    await page.locator('[data-testid="dispatch"][data-event="createUser"]').first().waitFor();
    await page.getByTestId("delivered-slack").first().waitFor();
    await expect(layoutReport(page)).resolves.toEqual({
      scrollWidth: PHONE.width,
      outsideCards: [],
      overlappingTicks: [],
    });
    await page.screenshot({ path: artifactPath("phone-deliveries-queue.png"), fullPage: true });
    await page.close();
  }, 120_000);

  test("a job that failed for good shows as failed on the Deliveries page, and its Retry button delivers it", async () => {
    if (!worker) await runWorker();
    await emulators.stripe.down();
    const email = newEmail("queue-retry");
    const page = await browser.context.newPage();
    await requestLinkInBrowser(page, app.origin, email);
    const link = await nextSignInLink(emulators.smtp, email, 0);
    await page.goto(link);
    await page.waitForURL(`${app.origin}/account`);
    const userId = app.userRow(email)!.id;
    await jobsWhere(userId, "Stripe's job failed, the others completed", (jobs) =>
      jobs.every((job) =>
        job.recipe === "stripe-customer" ? job.state === "failed" : job.state === "completed",
      ),
    );

    await page.goto(`${app.origin}/deliveries`);
    const failedRow = page.locator(
      '[data-testid="job"][data-state="failed"][data-recipe="stripe-customer"]',
    );
    await failedRow.first().waitFor();
    expect(
      Number(await failedRow.first().getByTestId("job-attempts").textContent()),
    ).toBeGreaterThan(1);
    await page.screenshot({ path: artifactPath("deliveries-queue-failed.png"), fullPage: true });

    await emulators.stripe.up();
    await failedRow.first().getByRole("button", { name: "Retry" }).click();
    // Stripe's job among them: a job moving between states can be missed by one scan of them all.
    await jobsWhere(
      userId,
      "every job completed after the retry, Stripe's with them",
      (jobs) =>
        jobs.some((job) => job.recipe === "stripe-customer") &&
        jobs.every((job) => job.state === "completed"),
    );
    const customers = emulators.stripe.customers.filter(
      (customer) => customer.metadata.userId === userId,
    );
    expect(customers).toHaveLength(1);
    await waitFor(
      "the stored customer id",
      () => app.userRow(email)!.stripeCustomerId ?? undefined,
    );
    await page
      .locator('[data-testid="job"][data-state="failed"]')
      .first()
      .waitFor({ state: "detached" });
    await page.getByTestId("delivered-customer").getByText(customers[0]!.id).waitFor();
    await page.screenshot({ path: artifactPath("deliveries-queue.png"), fullPage: true });
    await page.close();
  }, 120_000);
});
