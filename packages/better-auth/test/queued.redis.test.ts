// The same recipes, queued: better-auth's hooks only enqueue (enqueueRecipes), a BullMQ worker on a real
// redis-server runs them, and the services receive what they receive in-process.
import { enqueueRecipes, startRecipeWorker } from "@auth-recipes/bullmq";
import type { RecipeError } from "@auth-recipes/core";
import { segmentTracking } from "@auth-recipes/segment";
import {
  type Emulators,
  type RedisServer,
  startEmulators,
  startRedisServer,
} from "@auth-recipes/testing";
import { welcomeEmail } from "@auth-recipes/welcome-email";
import { Analytics } from "@segment/analytics-node";
import { Queue } from "bullmq";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startApp } from "./helpers.ts";

let redis: RedisServer;
let emulators: Emulators;
beforeAll(async () => {
  [redis, emulators] = await Promise.all([
    startRedisServer({ appendOnly: false }),
    startEmulators(),
  ]);
});
afterAll(async () => {
  await Promise.all([redis?.close(), emulators?.close()]);
});

it("a sign-up enqueues; the worker sends the welcome email and Segment's Signed Up and Signed In", async () => {
  // One recipes array, imported by both processes in a real app.
  const recipes = [
    welcomeEmail({ transport: emulators.smtp.smtpUrl, from: "hello@acme.test" }),
    segmentTracking({
      analytics: new Analytics({
        writeKey: emulators.segment.writeKey,
        ...emulators.segment.clientOptions,
        maxRetries: 0,
      }),
    }),
  ];
  const queue = new Queue("auth-recipes-better-auth", { connection: redis.connection });
  const workerErrors: RecipeError[] = [];
  const worker = startRecipeWorker(recipes, {
    connection: redis.connection,
    queueName: "auth-recipes-better-auth",
    onError: (error) => void workerErrors.push(error),
  });
  const app = await startApp({ recipes: [enqueueRecipes(recipes, { queue })] });
  try {
    const { userId } = await app.signUp("alice@example.test");
    // The hooks only enqueued: one bullmq dispatch each for createUser and signIn.
    expect(app.reports.map((r) => [r.event, r.results.map((x) => [x.recipe, x.status])])).toEqual([
      ["createUser", [["bullmq", "fulfilled"]]],
      ["signIn", [["bullmq", "fulfilled"]]],
    ]);
    await expect
      .poll(() => emulators.smtp.messages.map((mail) => mail.envelope.to), { timeout: 10_000 })
      .toEqual([["alice@example.test"]]);
    await expect
      .poll(
        () =>
          emulators.segment.messages
            .filter((m) => m.userId === userId)
            .map((m) => [m.event ?? m.type, m.properties ?? m.traits])
            .sort(),
        { timeout: 10_000 },
      )
      .toEqual(
        [
          ["Signed In", { provider: "credential", type: "credentials", isNewUser: true }],
          ["Signed Up", {}],
          ["identify", { email: "alice@example.test", name: "Alice Liddell" }],
        ].sort(),
      );
    expect(app.errors).toEqual([]);
    expect(workerErrors).toEqual([]);
  } finally {
    app.close();
    await worker.close();
    await queue.close();
  }
}, 30_000);
