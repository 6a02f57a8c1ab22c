import { composeEvents, type Recipe, type RecipeError } from "@auth-recipes/core";
import { posthogTracking } from "@auth-recipes/posthog";
import { type PostHogEmulator, startPostHogApi } from "@auth-recipes/testing";
import { PostHog } from "posthog-node";
import {
  benchUser,
  callHandler,
  closeServices,
  endpointsOf,
  makeClients,
  makeRecipes,
  SERVICE_NAMES,
  type ServiceName,
  type Services,
  startServices,
} from "./services.ts";

// Section 3 also hangs PostHog: the other sections keep the four recipes they were written for.
const HUNG_NAMES = [...SERVICE_NAMES, "posthog"] as const;
type HungName = (typeof HUNG_NAMES)[number];
type HungServices = Services & { posthog: PostHogEmulator };

/** The four recipes on SDK clients with their defaults, and PostHog's on a `new PostHog(key, { host })`. */
function hungRecipes(
  endpoints: ReturnType<typeof endpointsOf>,
  posthog: PostHogEmulator,
): Recipe[] {
  return [
    ...makeRecipes(makeClients(endpoints, "defaults")),
    posthogTracking({ posthog: new PostHog(posthog.apiKey, posthog.clientOptions) }),
  ];
}

import { type Summary, summarize } from "./stats.ts";

/** Section 3's figures for one hung upstream. */
export interface HungRow {
  upstream: ServiceName | "posthog";
  recipe: string;
  /** composeEvents (all five recipes, `timeoutMs`) until createUser resolved, in ms. */
  composedMs: Summary;
  /** Whether, every time, onError got a RecipeError for this recipe, and for no other. */
  composedReportedFailure: boolean;
  /** How the failure was reported: "core's timeout", or the recipe's own error message. */
  reportedAs: string[];
  /** Whether, every time, the other recipes delivered meanwhile. */
  othersDelivered: boolean;
  /** The next createUser on the same clients once the upstream answers again, in ms. */
  recoveryMs: Summary;
  /** Whether, every time, that next createUser delivered to all five with no error. */
  recovered: boolean;
  /** Errors other than the expected timeout, in the warm-up, while hung or after. */
  notes: string[];
  /**
   * The recipe's handler called directly (no core) on an SDK client with its own defaults: ms until it
   * settled, or `null` when it had not settled at the cap.
   */
  uncomposedMs: number | null;
  uncomposedOutcome: "fulfilled" | "rejected" | "> cap";
}

export interface HungResult {
  timeoutMs: number;
  capMs: number;
  rows: HungRow[];
}

/** What each emulator has delivered so far: a number that grows by one or more per createUser. */
function deliveries(services: HungServices): Record<HungName, number> {
  return {
    smtp: services.smtp.messages.length,
    slack: services.slack.messages.length,
    stripe: services.stripe.customers.length,
    segment: services.segment.messages.length,
    posthog: services.posthog.events.length,
  };
}

/**
 * Section 3: one upstream hangs (accepts the connection, never answers). Composed: the five recipes on
 * SDK clients with their defaults, `timeoutMs` for each attempt. Uncomposed: each recipe's handler alone,
 * called as a hand-written events.createUser would, on clients with their defaults, all five upstreams
 * hung at once and waited for concurrently until `capMs`.
 */
export async function benchHung(options: {
  timeoutMs: number;
  capMs: number;
  repeats: number;
}): Promise<HungResult> {
  const { timeoutMs, capMs, repeats } = options;
  const [four, posthog] = await Promise.all([startServices(), startPostHogApi()]);
  const services: HungServices = { ...four, posthog };
  const endpoints = endpointsOf(four);
  let serial = 0;
  const next = () => benchUser(`hung-${++serial}`);
  const describe = (error: RecipeError) => `${error.recipe}: ${error.message}`;

  const rows = new Map(
    HUNG_NAMES.map((name) => [
      name,
      {
        times: [] as number[],
        reported: true,
        reportedAs: new Set<string>(),
        delivered: true,
        recoveries: [] as number[],
        recovered: true,
        notes: new Set<string>(),
      },
    ]),
  );
  for (let repeat = 0; repeat < repeats; repeat++) {
    for (const [index, name] of HUNG_NAMES.entries()) {
      const row = rows.get(name)!;
      // Fresh clients each time, so that nothing an earlier hang left behind (a stuck flush, a retry in
      // its backoff) weighs on this one; the recovery dispatch below shows what it leaves behind.
      const recipes = hungRecipes(endpoints, posthog);
      const recipe = recipes[index]!;
      const errors: RecipeError[] = [];
      const composed = composeEvents(recipes, { timeoutMs, onError: (e) => errors.push(e) })
        .createUser!;
      // Warm-up with nothing hung: connections and JIT.
      await composed({ user: next() });
      for (const error of errors.splice(0)) row.notes.add(`warm-up: ${describe(error)}`);

      let before = deliveries(services);
      services[name].hang();
      let started = performance.now();
      await composed({ user: next() });
      row.times.push(performance.now() - started);
      let after = deliveries(services);
      const own = errors.find((e) => e.recipe === recipe.name);
      if (!own) row.reported = false;
      // Core's timeout, or the recipe's own when it bounds its requests by the deadline (Stripe does).
      else row.reportedAs.add(own.timedOut ? "core's timeout" : own.message);
      for (const error of errors.splice(0)) {
        if (error.recipe !== recipe.name) {
          row.reported = false;
          row.notes.add(`while hung: ${describe(error)}`);
        }
      }
      for (const other of HUNG_NAMES) {
        if (other !== name && !(after[other] > before[other])) row.delivered = false;
      }

      // The upstream answers again (the hung request is cut): the next sign-up on the same clients.
      services[name].reset();
      before = deliveries(services);
      started = performance.now();
      await composed({ user: next() });
      row.recoveries.push(performance.now() - started);
      after = deliveries(services);
      for (const error of errors.splice(0)) {
        row.recovered = false;
        row.notes.add(`next sign-up: ${describe(error)}`);
      }
      if (HUNG_NAMES.some((other) => !(after[other] > before[other]))) row.recovered = false;
    }
  }

  // Uncomposed: fresh clients with their defaults, every upstream hung, the five handlers at once.
  const bare = hungRecipes(endpoints, posthog);
  for (const name of HUNG_NAMES) services[name].hang();
  const outcomes = await Promise.all(
    bare.map((recipe) => {
      const started = performance.now();
      return new Promise<Pick<HungRow, "uncomposedMs" | "uncomposedOutcome">>((resolve) => {
        const cap = setTimeout(
          () => resolve({ uncomposedMs: null, uncomposedOutcome: "> cap" }),
          capMs,
        );
        callHandler(recipe, next()).then(
          () => {
            clearTimeout(cap);
            resolve({ uncomposedMs: performance.now() - started, uncomposedOutcome: "fulfilled" });
          },
          () => {
            clearTimeout(cap);
            resolve({ uncomposedMs: performance.now() - started, uncomposedOutcome: "rejected" });
          },
        );
      });
    }),
  );
  // The handlers still waiting are abandoned: closing the emulators cuts their requests, and the SDKs'
  // own retries then fail against a closed port (Slack's default policy keeps trying for about 30
  // minutes, which is why the bench ends its process explicitly).
  await Promise.all([closeServices(four), posthog.close()]);

  return {
    timeoutMs,
    capMs,
    rows: HUNG_NAMES.map((name, index) => {
      const row = rows.get(name)!;
      return {
        upstream: name,
        recipe: bare[index]!.name,
        composedMs: summarize(row.times),
        composedReportedFailure: row.reported,
        reportedAs: [...row.reportedAs],
        othersDelivered: row.delivered,
        recoveryMs: summarize(row.recoveries),
        recovered: row.recovered,
        notes: [...row.notes],
        ...outcomes[index]!,
      };
    }),
  };
}
