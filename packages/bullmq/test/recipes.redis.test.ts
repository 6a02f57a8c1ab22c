import {
  composeEvents,
  type EventMessages,
  type EventName,
  type RecipeError,
} from "@auth-recipes/core";
import {
  dispatchEvent,
  type Emulators,
  events,
  startEmulators,
  TOKEN_MARKERS,
  users,
} from "@auth-recipes/testing";
import type { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enqueueRecipes, type RecipeWorker, startRecipeWorker } from "../src/index.ts";
import { backends, type TestBackend } from "./backends.ts";
import { realRecipes, waitFor } from "./helpers.ts";

let backend: TestBackend;
let queue: Queue;
let emulators: Emulators;
let setup: ReturnType<typeof realRecipes>;

// A sign-up by OAuth, a second user by email, an email sign-in that verifies, a sign-out.
const script: Array<{ [E in EventName]: [E, EventMessages[E]] }[EventName]> = [
  ["createUser", events.createUser(users.alice)],
  ["linkAccount", events.linkAccount(users.alice)],
  ["signIn", events.signInOAuth(users.alice)],
  ["createUser", events.createUser(users.noName)],
  ["updateUser", events.updateUser(users.noName)],
  ["signOut", events.signOutWithToken(users.alice)],
];

/** What the services received, without what differs from run to run (ids, timestamps, keys). */
function delivered() {
  // Slack's message shows when it was posted (a worker posts later than the request would have).
  const sorted = <T>(items: T[]) =>
    items.map((item) => JSON.stringify(item).replace(/<!date\^\d+\^[^>]*>/g, "<!date>")).sort();
  return {
    smtp: sorted(
      emulators.smtp.messages.map(({ from, to, subject, text, html }) => ({
        from,
        to,
        subject,
        text,
        html,
      })),
    ),
    slack: sorted(
      emulators.slack.messages.map(({ channelName, text, blocks }) => ({
        channelName,
        text,
        blocks,
      })),
    ),
    stripe: sorted(
      emulators.stripe.customers.map(({ email, name, metadata }) => ({ email, name, metadata })),
    ),
    segment: sorted(
      emulators.segment.messages.map(({ type, event, userId, traits, properties }) => ({
        type,
        event,
        userId,
        traits,
        properties,
      })),
    ),
  };
}

describe.each(backends)("on $name", ({ start }) => {
  beforeAll(async () => {
    [backend, emulators] = await Promise.all([start(), startEmulators()]);
    queue = backend.queue();
    setup = realRecipes(emulators);
  }, 60_000);
  afterAll(async () => {
    await setup.close();
    await queue.close();
    await Promise.all([backend.close(), emulators.close()]);
  });

  it("the four recipes deliver through the queue exactly what they deliver in-process", async () => {
    const inlineErrors: RecipeError[] = [];
    for (const [event, message] of script) {
      const { errors } = await dispatchEvent(setup.recipes, event, message as never);
      inlineErrors.push(...errors);
    }
    expect(inlineErrors).toEqual([]);
    const inProcess = delivered();
    expect(inProcess.smtp).toHaveLength(2);
    expect(inProcess.slack).toHaveLength(2);
    expect(inProcess.stripe).toHaveLength(2);
    expect(inProcess.segment.length).toBeGreaterThanOrEqual(6);
    emulators.reset();

    const errors: RecipeError[] = [];
    const web = composeEvents([enqueueRecipes(setup.recipes, { queue })], {
      onError: (error) => void errors.push(error),
    });
    const worker: RecipeWorker = startRecipeWorker(setup.recipes, {
      ...backend.worker,
      concurrency: 4,
      onError: (error) => void errors.push(error),
    });
    await worker.worker.waitUntilReady();
    let expected = 0;
    for (const [event, message] of script) {
      await (web[event] as (message: unknown) => Promise<void>)(message);
      // One job per recipe that handles the event; each event settles before the next, as in-process.
      expected += setup.recipes.filter((recipe) => event in recipe.events).length;
      await waitFor(
        async () => (await queue.getCompletedCount()) === expected,
        15_000,
        `${event}'s jobs`,
      );
    }
    await worker.close();
    expect(errors).toEqual([]);
    expect(delivered()).toEqual(inProcess);
    const received = JSON.stringify(emulators.inbox());
    for (const marker of TOKEN_MARKERS) expect(received).not.toContain(marker);
  });
});
