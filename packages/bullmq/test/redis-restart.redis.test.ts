import { composeEvents } from "@auth-recipes/core";
import { type RedisServer, startRedisServer, users } from "@auth-recipes/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { enqueueRecipes, startRecipeWorker } from "../src/index.ts";
import { producerQueue, recording, waitFor } from "./helpers.ts";

let redis: RedisServer;

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis.close();
});

it("keeps every waiting job across a Redis restart (append-only file on), and each runs once", async () => {
  const mail = recording("welcome-email");
  const slack = recording("slack");
  const before = producerQueue(redis);
  const web = composeEvents([enqueueRecipes([mail, slack], { queue: before })]);
  for (let index = 0; index < 25; index++) {
    await web.createUser?.({ user: { ...users.alice, id: `user_${index}` } });
  }
  expect(await before.count()).toBe(50);
  await before.close();

  await redis.stop();
  await redis.start();

  const after = producerQueue(redis);
  expect(await after.getWaitingCount()).toBe(50);
  const worker = startRecipeWorker([mail, slack], { connection: redis.connection, concurrency: 8 });
  await waitFor(
    async () => (await after.getCompletedCount()) === 50,
    15_000,
    "every job to complete",
  );
  await worker.close();
  const ran = (calls: typeof mail.calls) =>
    calls.map((call) => (call.message as { user: { id: string } }).user.id).sort();
  const expected = Array.from({ length: 25 }, (_, index) => `user_${index}`).sort();
  expect(ran(mail.calls)).toEqual(expected);
  expect(ran(slack.calls)).toEqual(expected);
  await after.close();
});
