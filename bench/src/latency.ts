import { composeEvents, type Recipe, type RecipeError } from "@auth-recipes/core";
import {
  benchUser,
  callHandler,
  closeClients,
  closeServices,
  eachService,
  endpointsOf,
  makeClients,
  makeRecipes,
  startServices,
} from "./services.ts";
import { ratios, type Summary, summarize } from "./stats.ts";

/** Section 2's figures: one createUser through the four recipes, every upstream answering late. */
export interface LatencyResult {
  /** Which recipe setup: their defaults, or Stripe's reuse lookup off (every recipe one request). */
  setup: string;
  delayMs: number;
  rounds: number;
  /** Each recipe's handler alone, called directly (no core), in ms. */
  aloneMs: Record<string, Summary>;
  /** The slowest recipe alone, per round. */
  slowestMs: Summary;
  /** The four handlers' times alone, added up per round. */
  sumMs: Summary;
  /** composeEvents' createUser, until it resolves. */
  composedMs: Summary;
  /** The four handlers awaited one after another (a hand-written events.createUser). */
  sequentialMs: Summary;
  /** composeEvents with `waitUntil`: until the callback returns (the response can go). */
  waitUntilMs: Summary;
  /** …and until the promise it handed to waitUntil settled (the side effects were done). */
  waitUntilSettledMs: Summary;
  composedVsSlowest: Summary;
  sequentialVsComposed: Summary;
  sequentialVsSum: Summary;
  /** Failures seen through onError or a rejected handler: a delivery that failed makes the figures void. */
  failures: string[];
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

/**
 * Section 2: latency under I/O. Each round times every recipe alone, then composed, sequential and
 * composed with waitUntil (in a rotating order), each with a new user so Stripe never finds one to reuse.
 */
export async function benchLatency(options: {
  rounds: number;
  delayMs: number;
  /** Stripe's `reuseExisting` option; `undefined` leaves the recipe's default (on). */
  reuseExisting?: boolean;
}): Promise<LatencyResult> {
  const services = await startServices();
  const clients = makeClients(endpointsOf(services), "configured");
  const recipes = makeRecipes(
    clients,
    options.reuseExisting === undefined ? {} : { reuseExisting: options.reuseExisting },
  );
  const failures: string[] = [];
  const onError = (error: RecipeError) => {
    failures.push(error.message);
  };
  const pending: Promise<unknown>[] = [];
  const composed = composeEvents(recipes, { onError }).createUser!;
  const deferred = composeEvents(recipes, {
    onError,
    waitUntil: (promise) => {
      pending.push(promise);
    },
  }).createUser!;

  let serial = 0;
  const next = () => benchUser(`latency-${++serial}`);
  const direct = (recipe: Recipe, user = next()) =>
    callHandler(recipe, user).catch((error: unknown) => {
      failures.push(`${recipe.name}: ${error instanceof Error ? error.message : String(error)}`);
    });

  // One warm-up round without the delay: connections, pools and JIT, so the first round is not an outlier.
  for (const recipe of recipes) await direct(recipe);
  await composed({ user: next() });
  eachService(services, (emulator) => emulator.delay(options.delayMs));

  const alone: Record<string, number[]> = Object.fromEntries(recipes.map((r) => [r.name, []]));
  const slowest: number[] = [];
  const sum: number[] = [];
  const together: number[] = [];
  const sequential: number[] = [];
  const returned: number[] = [];
  const settled: number[] = [];
  const variants: Array<() => Promise<void>> = [
    async () => {
      together.push(await timed(() => composed({ user: next() })));
    },
    async () => {
      sequential.push(
        await timed(async () => {
          const user = next();
          for (const recipe of recipes) await direct(recipe, user);
        }),
      );
    },
    async () => {
      pending.length = 0;
      const started = performance.now();
      await deferred({ user: next() });
      returned.push(performance.now() - started);
      await Promise.all(pending);
      settled.push(performance.now() - started);
    },
  ];
  for (let round = 0; round < options.rounds; round++) {
    const times: number[] = [];
    for (const recipe of recipes) {
      const ms = await timed(() => direct(recipe));
      alone[recipe.name]!.push(ms);
      times.push(ms);
    }
    slowest.push(Math.max(...times));
    sum.push(times.reduce((a, b) => a + b, 0));
    for (let i = 0; i < variants.length; i++) await variants[(round + i) % variants.length]!();
  }

  await closeClients(clients);
  await closeServices(services);
  return {
    setup:
      options.reuseExisting === false
        ? "stripe reuseExisting: false (one request per recipe)"
        : "recipe defaults",
    delayMs: options.delayMs,
    rounds: options.rounds,
    aloneMs: Object.fromEntries(Object.entries(alone).map(([name, xs]) => [name, summarize(xs)])),
    slowestMs: summarize(slowest),
    sumMs: summarize(sum),
    composedMs: summarize(together),
    sequentialMs: summarize(sequential),
    waitUntilMs: summarize(returned),
    waitUntilSettledMs: summarize(settled),
    composedVsSlowest: ratios(together, slowest),
    sequentialVsComposed: ratios(sequential, together),
    sequentialVsSum: ratios(sequential, sum),
    failures,
  };
}
