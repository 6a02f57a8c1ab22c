import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startApp, type TestApp } from "./support/app.ts";
import { type Emulators, startAll } from "./support/emulators.ts";
import { newEmail, nextSignInLink, requestLinkByFetch } from "./support/flow.ts";

const DELAY_MS = 50;
const RUNS = 5;

let emulators: Emulators;
let withRecipes: TestApp;
let withoutRecipes: TestApp;

beforeAll(async () => {
  emulators = await startAll();
  [withRecipes, withoutRecipes] = await Promise.all([
    // The debug line per event shows where the time goes, recipe by recipe.
    startApp(emulators, { AUTH_RECIPES_DEBUG: "1" }),
    startApp(emulators, { AUTH_RECIPES: "none" }),
  ]);
});

afterAll(async () => {
  await Promise.all([withRecipes?.close(), withoutRecipes?.close()]);
  await emulators?.close();
});

/**
 * The time of the sign-in request itself: the magic link's GET, where next-auth creates the user and
 * awaits the createUser and signIn events before it answers. Asking for the link is not timed.
 */
async function timeSignUp(app: TestApp): Promise<number> {
  const email = newEmail("timing");
  await requestLinkByFetch(app.origin, email);
  const link = await nextSignInLink(emulators.smtp, email, 0);
  const started = performance.now();
  const response = await fetch(link, { redirect: "manual" });
  await response.arrayBuffer();
  const elapsed = performance.now() - started;
  expect(response.status).toBe(302);
  expect(response.headers.get("location")).toBe(`${app.origin}/account`);
  return elapsed;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

describe("the sign-in request's time", () => {
  test(`with all four recipes (${DELAY_MS} ms injected at each service) and with none`, async () => {
    // One sign-up each first: the first request of a server loads its modules and opens the database.
    await timeSignUp(withRecipes);
    await timeSignUp(withoutRecipes);
    for (const emulator of [emulators.smtp, emulators.slack, emulators.stripe, emulators.segment]) {
      emulator.delay(DELAY_MS);
    }
    const recipes: number[] = [];
    const none: number[] = [];
    let lastRun: string[] = [];
    // Interleaved, so that a slow moment of the machine falls on both.
    for (let run = 0; run < RUNS; run++) {
      const mark = withRecipes.mark();
      recipes.push(await timeSignUp(withRecipes));
      lastRun = withRecipes.logSince(mark).filter((line) => line.includes("settled in"));
      none.push(await timeSignUp(withoutRecipes));
    }
    const format = (values: number[]) =>
      `median ${Math.round(median(values))} ms (runs: ${values.map(Math.round).join(", ")})`;
    console.log(
      [
        `sign-in request (GET of the magic link, a new user each time), ${RUNS} runs each:`,
        `  all four recipes, ${DELAY_MS} ms at each service: ${format(recipes)}`,
        `  no recipes:                                ${format(none)}`,
        `  added by the recipes: ${Math.round(median(recipes) - median(none))} ms`,
        "  the last run, event by event:",
        ...lastRun.map((line) => `    ${line.replace("[auth-recipes] ", "")}`),
      ].join("\n"),
    );
    const added = median(recipes) - median(none);
    // The recipes ran inside the request: at least one service's delay shows in it.
    expect(added).toBeGreaterThanOrEqual(DELAY_MS);
    // Concurrently: one after another, the delays of the six calls alone (SMTP, Slack, Stripe's list
    // and create, Segment on createUser and on signIn) would add 300 ms.
    expect(added).toBeLessThan(6 * DELAY_MS);
  });
});
