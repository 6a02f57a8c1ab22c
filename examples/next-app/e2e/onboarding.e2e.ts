// Queue mode's onboarding sequence in a browser: the tips email waits in BullMQ's delayed set (shown as
// delayed on the Deliveries page) and arrives at the SMTP emulator once due; a user who deletes their
// account before it is due never gets it, and afterwards no key or value in Redis holds their email,
// while another user's jobs stay. Redis is read directly, every key by its type.
import { findUserJobs, type UserJob } from "@auth-recipes/bullmq";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import type { Page } from "playwright-core";
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

/** Short enough for a test, long enough to see the job delayed and to delete the account before it. */
const TIPS_MS = 6_000;
const TIPS_SUBJECT = "Three tips for your first week";

let redis: LocalRedis;
let emulators: Emulators;
let app: TestApp;
let browser: TestBrowser;
let queue: Queue;
let client: Redis;
let worker: WorkerProcess | undefined;

beforeAll(async () => {
  redis = await startLocalRedis();
  emulators = await startAll();
  const env = { AUTH_RECIPES_REDIS_URL: redis.url, AUTH_RECIPES_TIPS_MS: String(TIPS_MS) };
  app = await startApp(emulators, env);
  queue = new Queue("auth-recipes", { connection: { host: "127.0.0.1", port: redis.port } });
  client = new Redis(redis.url);
  worker = startWorker(
    { ...emulators.env, ...env, DATABASE_PATH: app.databasePath, AUTH_RECIPES_LOCK_MS: "1500" },
    process.env.E2E_SERVER_LOG ? (line) => console.log(`[worker] ${line}`) : undefined,
  );
  await worker.ready;
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  await app?.close();
  client?.disconnect();
  await queue?.close();
  await emulators?.close();
  await redis?.stop();
});

/** Waits until the user's jobs satisfy `check`, reading them from Redis, and returns them. */
async function jobsWhere(
  userId: string,
  what: string,
  check: (jobs: UserJob[]) => boolean,
  ms = 30_000,
): Promise<UserJob[]> {
  const until = Date.now() + ms;
  for (;;) {
    const jobs = await findUserJobs(queue, userId);
    if (jobs.length && check(jobs)) return jobs;
    if (Date.now() > until) {
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(jobs)}`);
    }
    await new Promise((wake) => setTimeout(wake, 100));
  }
}

const tipsTo = (email: string) =>
  emulators.smtp.messages.filter(
    (mail) => mail.envelope.to.includes(email) && mail.subject === TIPS_SUBJECT,
  );

/** Signs up through the sign-in page and the emailed link; answers the new user's id. */
async function signUp(page: Page, email: string): Promise<string> {
  await requestLinkInBrowser(page, app.origin, email);
  const link = await nextSignInLink(emulators.smtp, email, 0);
  await page.goto(link);
  await page.waitForURL(`${app.origin}/account`);
  return app.userRow(email)!.id;
}

/** Every key in Redis whose name or value holds `needle`, with where in it: every type read in full. */
async function redisHolding(needle: string): Promise<string[]> {
  const found: string[] = [];
  const wanted = needle.toLowerCase();
  const holds = (text: string) => text.toLowerCase().includes(wanted);
  let cursor = "0";
  do {
    const [next, keys] = await client.scanBuffer(cursor, "COUNT", 1000);
    cursor = next.toString();
    for (const raw of keys) {
      const key = raw.toString("latin1");
      if (holds(key)) found.push(`${key} (its name)`);
      const type = await client.type(raw);
      let values: Buffer[] = [];
      if (type === "string") values = [(await client.getBuffer(raw)) ?? Buffer.alloc(0)];
      else if (type === "hash") values = await client.hgetallBuffer(raw).then(flatten);
      else if (type === "list") values = await client.lrangeBuffer(raw, 0, -1);
      else if (type === "set") values = await client.smembersBuffer(raw);
      else if (type === "zset") values = await client.zrangeBuffer(raw, 0, -1);
      else if (type === "stream") {
        const entries = (await client.xrangeBuffer(raw, "-", "+")) as [Buffer, Buffer[]][];
        values = entries.flatMap(([, fields]) => fields);
      } else found.push(`${key} (a ${type} this test cannot read)`);
      for (const value of values)
        if (holds(value.toString("latin1"))) found.push(`${key} (${type})`);
    }
  } while (cursor !== "0");
  return [...new Set(found)];
}

function flatten(hash: Record<string, Buffer>): Buffer[] {
  return Object.entries(hash).flatMap(([field, value]) => [Buffer.from(field), value]);
}

describe("queue mode: the onboarding tips email, and deleting an account", () => {
  let firstUserId = "";
  let firstEmail = "";

  test("the tips email waits in the delayed set, shown on the Deliveries page, then arrives once due", async () => {
    firstEmail = newEmail("tips");
    const page = await browser.context.newPage();
    firstUserId = await signUp(page, firstEmail);
    const signedUpAt = Date.now();

    // Before it is due: a delayed job in Redis, a delayed row on the page, and no tips email.
    await page.goto(`${app.origin}/deliveries`);
    const delayedRow = page.locator(
      '[data-testid="job"][data-state="delayed"][data-recipe="tips-email"]',
    );
    await delayedRow.filter({ hasText: firstEmail }).waitFor({ timeout: TIPS_MS });
    const jobs = await findUserJobs(queue, firstUserId);
    expect(jobs.filter((job) => job.recipe === "tips-email").map((job) => job.state)).toEqual([
      "delayed",
    ]);
    expect(Date.now() - signedUpAt).toBeLessThan(TIPS_MS); // seen before it was due, not after
    expect(tipsTo(firstEmail)).toHaveLength(0);
    await page.screenshot({ path: artifactPath("deliveries-tips-delayed.png"), fullPage: true });

    // Once due: the worker sends it, once, to the user; the job is completed and the page says so.
    const [mail] = await waitFor(
      "the tips email at the SMTP emulator",
      () => {
        const mails = tipsTo(firstEmail);
        return mails.length ? mails : undefined;
      },
      TIPS_MS + 20_000,
    );
    expect(Date.now() - signedUpAt).toBeGreaterThanOrEqual(TIPS_MS - 1_000);
    expect(mail!.text).toContain("Delete your account");
    await jobsWhere(firstUserId, "the tips job completed", (all) =>
      all.some((job) => job.recipe === "tips-email" && job.state === "completed"),
    );
    await page
      .locator('[data-testid="job"][data-state="completed"][data-recipe="tips-email"]')
      .filter({ hasText: firstEmail })
      .waitFor();
    await new Promise((wake) => setTimeout(wake, 1_000));
    expect(tipsTo(firstEmail)).toHaveLength(1);
    await page.close();
  }, 90_000);

  test("deleting the account before the tips email is due cancels it, and leaves no trace of the email in Redis", async () => {
    const email = newEmail("forget");
    const page = await browser.context.newPage();
    const userId = await signUp(page, email);
    const signedUpAt = Date.now();
    // The sign-up's jobs are enqueued, the tips email among them, delayed.
    const before = await jobsWhere(userId, "the user's tips job delayed", (jobs) =>
      jobs.some((job) => job.recipe === "tips-email" && job.state === "delayed"),
    );
    expect(before.length).toBeGreaterThan(1);

    await page.getByRole("button", { name: "Delete my account" }).click();
    const deleted = page.getByTestId("account-deleted");
    await deleted.waitFor();
    const said = (await deleted.textContent()) ?? "";
    expect(Date.now() - signedUpAt).toBeLessThan(TIPS_MS); // deleted before the email was due
    const removed = Number(/(\d+) recipe job\(s\) about you were removed/.exec(said)?.[1]);
    // A job a worker is still running when the wait runs out (a busy machine) is said as such, and
    // finishes before it goes: every job seen before is one or the other.
    const active = Number(/; (\d+) still running will finish first/.exec(said)?.[1] ?? 0);
    expect(removed + active, said).toBeGreaterThanOrEqual(before.length);
    expect(said).toContain("tips email");
    // The page that says so no longer shows the deleted account as signed in (nor its address).
    await page.getByRole("heading", { name: "Your account is deleted" }).waitFor();
    await page.getByRole("link", { name: "Sign in" }).waitFor();
    expect(await page.content()).not.toContain(email);
    await page.screenshot({ path: artifactPath("account-deleted.png"), fullPage: true });
    expect(app.userRow(email)).toBeUndefined();

    // Past the delay (and a margin for a busy worker): the tips email never arrives.
    await new Promise((wake) =>
      setTimeout(wake, Math.max(0, signedUpAt + TIPS_MS + 3_000 - Date.now())),
    );
    expect(tipsTo(email)).toHaveLength(0);
    await expect(findUserJobs(queue, userId)).resolves.toEqual([]);

    // No key or value in Redis holds the email address; the first user's jobs are still there.
    await expect(redisHolding(email)).resolves.toEqual([]);
    const kept = await findUserJobs(queue, firstUserId);
    expect(kept.map((job) => job.recipe)).toContain("tips-email");
    expect(kept.length).toBeGreaterThan(1);
    await expect(redisHolding(firstEmail)).resolves.not.toEqual([]); // the scan can find an email
    await page.close();
  }, 90_000);
});
