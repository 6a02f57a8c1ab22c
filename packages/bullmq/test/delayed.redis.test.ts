// Delayed recipes on a real redis-server: not run early, run once, through worker and Redis restarts,
// renamed copies each run, and a "day 3 / day 7" sequence against the SMTP emulator in milliseconds.
import { composeEvents } from "@auth-recipes/core";
import {
  events,
  type RedisServer,
  runDelayedJobs,
  type SmtpEmulator,
  startRedisServer,
  startSmtpServer,
  users,
} from "@auth-recipes/testing";
import { welcomeEmail } from "@auth-recipes/welcome-email";
import type { Queue } from "bullmq";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  delayed,
  EnqueueError,
  enqueueRecipes,
  MAX_DELAY_MS,
  startRecipeWorker,
} from "../src/index.ts";
import { producerQueue, recording, waitFor } from "./helpers.ts";

vi.setConfig({ testTimeout: 60_000 });

const DAY = 86_400_000;
let redis: RedisServer;
let queue: Queue;
let smtp: SmtpEmulator;

beforeAll(async () => {
  [redis, smtp] = await Promise.all([startRedisServer(), startSmtpServer()]);
  queue = producerQueue(redis);
});
afterEach(async () => {
  await queue.obliterate({ force: true });
  smtp.messages.length = 0;
});
afterAll(async () => {
  await queue.close();
  await Promise.all([redis.close(), smtp.close()]);
});

describe("delayed()", () => {
  it("marks a copy of the recipe with its delay in ms, renamed when asked, leaving the original alone", () => {
    const mail = recording("welcome-email");
    const tips = delayed(mail, { days: 3, hours: 1 }, { name: "tips-email" });
    expect(tips).toMatchObject({ name: "tips-email", delayMs: 3 * DAY + 3_600_000 });
    expect(tips.events).toBe(mail.events);
    expect(mail).not.toHaveProperty("delayMs");
    expect(delayed(mail, 1_500).name).toBe("welcome-email");
    expect(delayed(mail, { minutes: 1, seconds: 0.5 }).delayMs).toBe(60_500);
  });

  it("throws a clear TypeError or RangeError for a bad delay, name or recipe", () => {
    const mail = recording("welcome-email");
    const bad: [unknown, ErrorConstructor, RegExp][] = [
      [0, RangeError, /more than 0 ms/],
      [-5, RangeError, /more than 0 ms/],
      [Number.NaN, RangeError, /more than 0 ms/],
      [Number.POSITIVE_INFINITY, RangeError, /at most a year/],
      [MAX_DELAY_MS + 1, RangeError, /at most a year/],
      [{ day: 3 }, TypeError, /unknown unit "day"; the units are days, hours, minutes, seconds/],
      [{}, TypeError, /at least one of/],
      [{ days: -1 }, RangeError, /delay\.days must be a finite number/],
      [{ hours: "2" }, RangeError, /delay\.hours must be a finite number/],
      ["3d", TypeError, /must be a number of ms or/],
      [null, TypeError, /must be a number of ms or/],
    ];
    for (const [delay, type, message] of bad) {
      expect(() => delayed(mail, delay as number)).toThrow(type);
      expect(() => delayed(mail, delay as number)).toThrow(message);
      expect(() => delayed(mail, delay as number)).toThrow(/^\[auth-recipes\/bullmq\] /);
    }
    expect(() => delayed(mail, 1_000, { name: "" })).toThrow(/option "name" must be a non-empty/);
    expect(() => delayed(null as never, 1_000)).toThrow(TypeError);
  });

  it("is refused by composeEvents, which says to put it in enqueueRecipes, and accepted there", () => {
    const tips = delayed(recording("welcome-email"), { days: 3 }, { name: "tips-email" });
    expect(() => composeEvents([tips])).toThrow(/recipe "tips-email" is delayed.*enqueueRecipes/);
    expect(() => composeEvents([enqueueRecipes([tips], { queue })])).not.toThrow();
  });
});

describe("a delayed recipe's job", () => {
  it("waits in the delayed set, is not run early, then runs once with the event's dispatchId", async () => {
    const now = recording("welcome-email");
    const later = delayed(recording("welcome-email"), 1_500, { name: "tips-email" });
    const calls = (later as unknown as { calls: typeof now.calls }).calls;
    const web = composeEvents([enqueueRecipes([now, later], { queue })]);
    const worker = startRecipeWorker([now, later], { connection: redis.connection });
    const started = Date.now();
    await web.createUser?.(events.createUser(users.alice));

    const [job] = await queue.getDelayed();
    expect(job).toMatchObject({ name: "tips-email:createUser", delay: 1_500 });
    await waitFor(() => now.calls.length === 1, 5_000, "the welcome now");
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(calls).toHaveLength(0);
    await waitFor(() => calls.length === 1, 5_000, "the tips email");
    expect(calls[0]!.at - started).toBeGreaterThanOrEqual(1_500);
    expect(calls[0]!.context.dispatchId).toBe(now.calls[0]!.context.dispatchId);
    expect(calls[0]!.context.recipe).toBe("tips-email");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(calls).toHaveLength(1);
    expect(await queue.getJobCounts("completed", "delayed")).toEqual({ completed: 2, delayed: 0 });
    await worker.close();
  });

  it("survives a worker's restart: the worker that is gone when it is due does not lose it", async () => {
    const later = delayed(recording("welcome-email"), 1_200, { name: "tips-email" });
    const calls = (later as unknown as { calls: unknown[] }).calls;
    const web = composeEvents([enqueueRecipes([later], { queue })]);
    const first = startRecipeWorker([later], { connection: redis.connection });
    await web.createUser?.(events.createUser(users.alice));
    await first.close();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(calls).toHaveLength(0);
    // Due, and still kept (BullMQ moves a due job to waiting when a worker next asks for work).
    const counts = await queue.getJobCounts("delayed", "waiting");
    expect((counts.delayed ?? 0) + (counts.waiting ?? 0)).toBe(1);
    const second = startRecipeWorker([later], { connection: redis.connection });
    await waitFor(() => calls.length === 1, 5_000, "the delayed job, in the second worker");
    await second.close();
  });

  it("survives a redis-server restart (append-only file) with its delay, then runs when due", async () => {
    const later = delayed(recording("welcome-email"), { days: 3 }, { name: "tips-email" });
    const calls = (later as unknown as { calls: unknown[] }).calls;
    await composeEvents([enqueueRecipes([later], { queue })]).createUser?.(
      events.createUser(users.alice),
    );
    await queue.close();
    await redis.stop();
    await redis.start();
    queue = producerQueue(redis);
    const [job] = await queue.getDelayed();
    expect(job).toMatchObject({ name: "tips-email:createUser", delay: 3 * DAY });
    const worker = startRecipeWorker([later], { connection: redis.connection });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(calls).toHaveLength(0);
    expect(await runDelayedJobs(queue)).toBe(1);
    expect(calls).toHaveLength(1);
    await worker.close();
  });

  it("renamed copies of one factory each run, day 3 and day 7, against the SMTP emulator", async () => {
    const mail = (subject: string) =>
      welcomeEmail({
        transport: smtp.smtpUrl,
        from: "Acme <hello@acme.test>",
        render: ({ user }) => ({ subject, text: `Hello ${user.name ?? "there"}` }),
      });
    const recipes = [
      mail("Welcome"),
      delayed(mail("Three tips"), { days: 3 }, { name: "tips-email" }),
      delayed(mail("How is it going?"), { days: 7 }, { name: "check-in-email" }),
    ];
    const worker = startRecipeWorker(recipes, { connection: redis.connection });
    await composeEvents([enqueueRecipes(recipes, { queue })]).createUser?.(
      events.createUser(users.alice),
    );
    const subjects = () => smtp.messages.map((message) => message.subject);
    await waitFor(() => subjects().length === 1, 5_000, "the welcome");
    expect(await runDelayedJobs(queue, { within: { days: 3 } })).toBe(1);
    expect(subjects()).toEqual(["Welcome", "Three tips"]);
    expect(await runDelayedJobs(queue, { within: { days: 3 } })).toBe(0);
    expect(await runDelayedJobs(queue, { within: 7 * DAY })).toBe(1);
    expect(subjects()).toEqual(["Welcome", "Three tips", "How is it going?"]);
    expect(smtp.messages.every((message) => message.to.includes(users.alice.email!))).toBe(true);
    await worker.close();
  });

  it("runDelayedJobs says so when no worker runs what it promoted, and leaves the job waiting", async () => {
    const later = delayed(recording("welcome-email"), { days: 3 }, { name: "tips-email" });
    await composeEvents([enqueueRecipes([later], { queue })]).createUser?.(
      events.createUser(users.alice),
    );
    await expect(runDelayedJobs(queue, { timeoutMs: 200 })).rejects.toThrow(/is a worker running/);
    expect(await queue.getJobCounts("waiting", "delayed")).toEqual({ waiting: 1, delayed: 0 });
    expect(await runDelayedJobs(queue, { settle: false })).toBe(0);
    await expect(runDelayedJobs(queue, { within: { day: 1 } as never })).rejects.toThrow(
      /unknown unit "day"/,
    );
  });

  it("is not run in-process by the inline fallback when Redis is down: only the others are", async () => {
    const now = recording("welcome-email");
    const later = delayed(recording("welcome-email"), { days: 3 }, { name: "tips-email" });
    const calls = (later as unknown as { calls: unknown[] }).calls;
    const errors: unknown[] = [];
    const down = producerQueue({ connection: { host: "127.0.0.1", port: 1 } });
    const web = composeEvents([enqueueRecipes([now, later], { queue: down })], {
      onError: (error) => errors.push(error),
    });
    await web.createUser?.(events.createUser(users.alice));
    expect(now.calls).toHaveLength(1);
    expect(calls).toHaveLength(0);
    expect((errors[0] as { cause?: unknown }).cause).toBeInstanceOf(EnqueueError);
    await down.close();
  });
});
