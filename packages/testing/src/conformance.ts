import {
  type Awaitable,
  composeEvents,
  EVENT_NAMES,
  type EventMessages,
  type EventName,
  type HandlerContext,
  type HandlerResult,
  isSkip,
  type Recipe,
  RecipeError,
} from "@auth-recipes/core";
import { dispatchEvent } from "./dispatch.ts";
import {
  defaultMessage,
  emailsOf,
  type FixtureUser,
  hostileUsers,
  secretsOf,
  users,
} from "./fixtures.ts";
import type { Emulator } from "./http-emulator.ts";

/** What {@link RecipeTestConfig.delivered} is asked to find at the emulator. */
export interface Delivery<E extends EventName = EventName> {
  /** The event dispatched. */
  event: E;
  /** The message dispatched: {@link defaultMessage} for the event and `user`. */
  message: EventMessages[E];
  /** The fixture user the message was built for (`users.alice`). */
  user: FixtureUser;
}

/**
 * How to run the conformance checks against one recipe: how to start its service's emulator, how to
 * build the recipe pointed at it, and how to read the effects of a delivery at the emulator.
 *
 * @typeParam E - The emulator the recipe talks to.
 * @typeParam O - The recipe factory's options.
 */
export interface RecipeTestConfig<E extends Emulator = Emulator, O extends object = object> {
  /** The name the recipe must have. */
  name: string;
  /** Starts the emulator: once before the checks, closed after them, reset before each. */
  start: () => Promise<E>;
  /** The recipe factory, such as `slackNotify`. */
  factory: (options: O) => Recipe;
  /** Valid options that point the recipe at the emulator (turn the SDK's own retries off). */
  options: (emulator: E) => O;
  /**
   * The options the factory requires: without each, it must throw a `TypeError` whose message names it.
   * @default []
   */
  required?: ReadonlyArray<keyof O & string>;
  /**
   * Throws (an `expect` failing, say) unless the emulator holds the effect of this delivery. Called with
   * the emulator reset before each event; retried for up to a second while it throws, for services that
   * record a delivery just after answering it.
   */
  delivered: (emulator: E, delivery: Delivery) => Awaitable<unknown>;
  /**
   * Looks at what the emulator received after the hostile users were dispatched, and describes any
   * injection found (a mention that would ping, markup that would render, a header that was split), or
   * returns `undefined` when there is none.
   */
  injected?: (emulator: E) => Awaitable<string | undefined>;
  /**
   * Strings that must never appear in an error message, such as the API key or token. The fixtures'
   * OAuth and session tokens and their email addresses are always checked too.
   * @default () => []
   */
  secrets?: (emulator: E) => readonly string[];
  /**
   * Counts the effects at the emulator (customers created, messages accepted after deduplication). Give
   * it only where the service offers idempotency: the suite then checks that a delivery retried after
   * its answer was lost leaves as many effects as a delivery that went through at once.
   */
  effects?: (emulator: E) => Awaitable<number>;
  /**
   * The timeout the failure checks compose the recipe with, in ms: each attempt must settle within it
   * (plus a margin of half of it, at least 300 ms).
   * @default 1000
   */
  timeoutMs?: number;
}

/** One conformance check, ready to run against a started emulator. */
export interface ConformanceCheck<E extends Emulator = Emulator> {
  /** What the check asserts, as a test title. */
  title: string;
  /** Runs the check; rejects with a {@link ConformanceError} when the recipe fails it. */
  run: (emulator: E) => Promise<void>;
}

/** The fault a failure check injects at the emulator. */
export type UpstreamFault = "error" | "hang" | "down";

/** A recipe failed a conformance check; the message says what it did and what was expected. */
export class ConformanceError extends Error {
  override name = "ConformanceError";
}

const DEFAULT_TIMEOUT_MS = 1000;
// A delivery check is about correctness, not speed: give slow SDKs (Segment's ≥ 300 ms callback) room.
const DELIVERY_TIMEOUT_MS = 5000;
const DELIVERED_WITHIN_MS = 1000;

function fail(message: string): never {
  throw new ConformanceError(message);
}

function timeoutOf(config: { timeoutMs?: number | undefined }): number {
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!(timeoutMs > 0 && Number.isFinite(timeoutMs))) {
    throw new RangeError('[auth-recipes/testing] option "timeoutMs" must be a positive number');
  }
  return timeoutMs;
}

function marginOf(timeoutMs: number): number {
  return Math.max(300, timeoutMs / 2);
}

const sleep = (ms: number) => new Promise<void>((wake) => setTimeout(wake, ms));

function describeError(error: unknown): string {
  try {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } catch {
    return "(unprintable)";
  }
}

/** Clears every fault, and the emulator's state, so that a check starts from nothing. */
async function prepare(emulator: Emulator): Promise<void> {
  await emulator.up();
  emulator.reset();
}

/** Builds the recipe from valid options, failing the check (not crashing it) when the factory throws. */
function build<E extends Emulator, O extends object>(
  config: RecipeTestConfig<E, O>,
  emulator: E,
): Recipe {
  let recipe: Recipe;
  try {
    recipe = config.factory(config.options(emulator));
  } catch (error) {
    fail(`the factory threw with the valid options: ${describeError(error)}`);
  }
  if (typeof recipe !== "object" || recipe === null) {
    fail(`the factory returned ${recipe === null ? "null" : typeof recipe}, not a recipe`);
  }
  if (typeof recipe.events !== "object" || recipe.events === null) {
    fail('the recipe has no "events" object');
  }
  return recipe;
}

/** The events the recipe handles by default, in next-auth's order. */
function defaultEvents(recipe: Recipe): EventName[] {
  const events = recipe.events as Record<string, unknown>;
  return EVENT_NAMES.filter((event) => typeof events[event] === "function");
}

interface Call {
  event: EventName;
  attempt: number;
  done: boolean;
  settled: Promise<void>;
}

type Around = (
  context: HandlerContext,
  run: () => Promise<unknown>,
) => Promise<unknown> | undefined;

/**
 * A copy of the recipe whose handlers are watched: each call's own promise is kept, so the check can
 * tell when the handler really stopped (core does not wait for a timed-out handler, but its I/O goes on).
 */
function instrument(
  recipe: Recipe,
  overrides: Partial<Recipe>,
  around?: Around,
): { recipe: Recipe; calls: Call[] } {
  const calls: Call[] = [];
  const events: Record<string, unknown> = {};
  for (const [event, handler] of Object.entries(recipe.events)) {
    if (typeof handler !== "function") {
      events[event] = handler;
      continue;
    }
    events[event] = (message: unknown, context: HandlerContext) => {
      const run = () => {
        try {
          return Promise.resolve(handler.call(recipe.events, message, context));
        } catch (error) {
          return Promise.reject(error);
        }
      };
      const result = around?.(context, run) ?? run();
      const call: Call = {
        event: event as EventName,
        attempt: context.attempt,
        done: false,
        settled: result.then(
          () => {},
          () => {},
        ),
      };
      call.settled = call.settled.then(() => {
        call.done = true;
      });
      calls.push(call);
      return result;
    };
  }
  return { recipe: { ...recipe, ...overrides, events }, calls };
}

/** Waits until every call has settled, or until `ms` have passed; returns the calls still running. */
async function settled(calls: Call[], ms: number): Promise<Call[]> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    Promise.all(calls.map((call) => call.settled)),
    new Promise<void>((wake) => {
      timer = setTimeout(wake, Math.max(0, ms));
    }),
  ]);
  clearTimeout(timer);
  return calls.filter((call) => !call.done);
}

interface Dispatched {
  event: EventName;
  message: unknown;
  result: HandlerResult;
  errors: RecipeError[];
  /** From the call to the composed callback's resolution, in ms. */
  ms: number;
}

async function dispatch(
  recipe: Recipe,
  event: EventName,
  message: unknown,
  retry?: Recipe["retry"],
): Promise<Dispatched> {
  const { report, errors, durationMs } = await dispatchEvent(
    [retry === undefined ? recipe : { ...recipe, retry }],
    event,
    message as never,
  );
  const result = report.results[0];
  if (!result) fail(`composeEvents reported nothing for ${event}`);
  return { event, message, result, errors, ms: durationMs };
}

/**
 * Runs `body` while collecting unhandled rejections and uncaught exceptions, which it reports as the
 * check's failure. The runner's own listeners are set aside meanwhile, so that a recipe's stray
 * rejection fails this check by name instead of the whole run anonymously.
 */
async function watchingProcess<T>(
  body: () => Promise<T>,
  cleanUp: () => Promise<void>,
): Promise<T> {
  const stray: unknown[] = [];
  const listener = (reason: unknown) => {
    stray.push(reason);
  };
  const savedRejection = process.listeners("unhandledRejection");
  const savedException = process.listeners("uncaughtException");
  process.removeAllListeners("unhandledRejection");
  process.removeAllListeners("uncaughtException");
  process.on("unhandledRejection", listener);
  process.on("uncaughtException", listener);
  let outcome: { value: T } | { error: unknown };
  try {
    outcome = { value: await body() };
  } catch (error) {
    outcome = { error };
  }
  try {
    // Cutting hung requests and restarting the emulator makes pending I/O settle now, while we listen:
    // a request a handler started and never awaited rejects here, not in a later test.
    await cleanUp();
    await sleep(50);
    await new Promise((wake) => setImmediate(wake));
  } finally {
    process.off("unhandledRejection", listener);
    process.off("uncaughtException", listener);
    for (const saved of savedRejection) process.on("unhandledRejection", saved);
    for (const saved of savedException) process.on("uncaughtException", saved);
  }
  if ("error" in outcome) throw outcome.error;
  if (stray.length) {
    fail(
      `${stray.length} unhandled rejection(s) or uncaught exception(s) while the recipe ran: ${stray
        .map(describeError)
        .join("; ")}. Await (or catch) every promise a handler starts.`,
    );
  }
  return outcome.value;
}

/**
 * The recipe is valid: it has the expected name, handles only next-auth's events, with functions, and
 * `composeEvents` accepts it.
 */
export async function checkRecipeShape<E extends Emulator, O extends object>(
  config: RecipeTestConfig<E, O>,
  emulator: E,
): Promise<void> {
  await prepare(emulator);
  const recipe = build(config, emulator);
  if (recipe.name !== config.name) {
    fail(
      `the recipe is named ${JSON.stringify(recipe.name)}, expected ${JSON.stringify(config.name)}`,
    );
  }
  const keys = Object.keys(recipe.events);
  const unknown = keys.filter((key) => !(EVENT_NAMES as readonly string[]).includes(key));
  if (unknown.length) {
    fail(
      `the recipe has unknown event(s) ${unknown.map((key) => JSON.stringify(key)).join(", ")}; next-auth's events are ${EVENT_NAMES.join(", ")}`,
    );
  }
  for (const key of keys) {
    const handler = (recipe.events as Record<string, unknown>)[key];
    if (handler !== undefined && typeof handler !== "function") {
      fail(`the ${key} handler is ${typeof handler}, not a function`);
    }
  }
  const handled = defaultEvents(recipe);
  if (!handled.length) fail("the recipe handles no event");
  let composed: Record<string, unknown>;
  try {
    composed = composeEvents([recipe]);
  } catch (error) {
    fail(`composeEvents rejects the recipe: ${describeError(error)}`);
  }
  if (Object.keys(composed).join() !== handled.join()) {
    fail(`composeEvents made ${Object.keys(composed).join(", ")} of ${handled.join(", ")}`);
  }
}

/** Each required option, left out, makes the factory throw a `TypeError` whose message names it. */
export async function checkRequiredOptions<E extends Emulator, O extends object>(
  config: RecipeTestConfig<E, O>,
  emulator: E,
): Promise<void> {
  await prepare(emulator);
  build(config, emulator);
  for (const key of config.required ?? []) {
    const options = { ...config.options(emulator) } as Record<string, unknown>;
    delete options[key];
    let thrown: unknown;
    try {
      config.factory(options as O);
    } catch (error) {
      thrown = error;
    }
    if (thrown === undefined) fail(`without option "${key}" the factory did not throw`);
    if (!(thrown instanceof TypeError)) {
      fail(`without option "${key}" the factory threw ${describeError(thrown)}, not a TypeError`);
    }
    if (!thrown.message.includes(key)) {
      fail(
        `without option "${key}" the factory threw a TypeError that does not name it: ${thrown.message}`,
      );
    }
  }
}

/** Each default event, with {@link defaultMessage}, is handled without error and reaches the service. */
export async function checkDelivery<E extends Emulator, O extends object>(
  config: RecipeTestConfig<E, O>,
  emulator: E,
): Promise<void> {
  await prepare(emulator);
  const recipe = build(config, emulator);
  const user = users.alice;
  for (const event of defaultEvents(recipe)) {
    await prepare(emulator);
    const message = defaultMessage(event, user);
    const { result } = await dispatch(
      { ...recipe, timeoutMs: DELIVERY_TIMEOUT_MS, retry: false },
      event,
      message,
    );
    if (result.status === "skipped") fail(`${event} was skipped (${result.reason}), not delivered`);
    if (result.status === "rejected") {
      fail(`${event} failed: ${describeError(result.error?.cause)}`);
    }
    const deadline = performance.now() + DELIVERED_WITHIN_MS;
    for (;;) {
      try {
        await config.delivered(emulator, { event, message, user });
        break;
      } catch (error) {
        if (performance.now() > deadline) {
          fail(`${event} was not delivered to the emulator: ${describeError(error)}`);
        }
        await sleep(25);
      }
    }
  }
}

async function applyFault(emulator: Emulator, fault: UpstreamFault): Promise<void> {
  if (fault === "error") emulator.fail({ times: Number.POSITIVE_INFINITY, status: 500 });
  else if (fault === "hang") emulator.hang();
  else await emulator.down();
}

const FAULT_NAMES: Record<UpstreamFault, string> = {
  error: "answering 500",
  hang: "hanging",
  down: "refusing connections",
};

/**
 * With the upstream failing (`"error"`: 500 to every request, `"hang"`: never answering, `"down"`:
 * refusing connections), every default event's handler settles within `timeoutMs` plus a margin, its
 * failure reaches `onError` once as a `RecipeError` naming the recipe, and nothing rejects unhandled.
 */
export async function checkUpstreamFailure<E extends Emulator, O extends object>(
  config: RecipeTestConfig<E, O>,
  emulator: E,
  fault: UpstreamFault,
): Promise<void> {
  const timeoutMs = timeoutOf(config);
  const margin = marginOf(timeoutMs);
  await prepare(emulator);
  const built = build(config, emulator);
  const { recipe, calls } = instrument(built, { timeoutMs, retry: false });
  const upstream = `the upstream ${FAULT_NAMES[fault]}`;
  await watchingProcess(
    async () => {
      await applyFault(emulator, fault);
      const started = performance.now();
      const outcomes = await Promise.all(
        defaultEvents(built).map((event) => dispatch(recipe, event, defaultMessage(event))),
      );
      const late = await settled(calls, started + timeoutMs + margin - performance.now());
      if (late.length) {
        fail(
          `with ${upstream}, the ${late.map((call) => call.event).join(", ")} handler(s) were still running ${Math.round(performance.now() - started)} ms after the dispatch, with a ${timeoutMs} ms timeout: pass the context's signal (or deadline) to the SDK`,
        );
      }
      for (const { event, result, errors, ms } of outcomes) {
        if (ms > timeoutMs + margin) {
          fail(`with ${upstream}, ${event} took ${Math.round(ms)} ms (timeout ${timeoutMs} ms)`);
        }
        if (result.status !== "rejected" || errors.length !== 1) {
          fail(
            `with ${upstream}, ${event} ended ${result.status}${result.reason ? ` (${result.reason})` : ""} and reached onError ${errors.length} time(s); a failure must reach onError once`,
          );
        }
        const [error] = errors;
        if (!(error instanceof RecipeError) || error.recipe !== config.name) {
          fail(
            `with ${upstream}, onError got ${describeError(error)}, not a RecipeError naming "${config.name}"`,
          );
        }
        if (!error.message.includes(`"${config.name}"`) || error.event !== event) {
          fail(
            `with ${upstream}, the RecipeError does not name the recipe and event: ${error.message}`,
          );
        }
      }
    },
    () => prepare(emulator),
  );
}

/** Whether a handler's failure is the service's (or the network's, or a timeout), not a crash. */
function isUpstreamFailure(error: unknown): boolean {
  for (let depth = 0; depth < 5 && typeof error === "object" && error !== null; depth++) {
    const e = error as Record<string, unknown>;
    if (e.name === "TimeoutError" || e.name === "AbortError") return true;
    // The recipe classified it, as every recipe must classify its upstream's errors.
    if (typeof e.retryable === "boolean") return true;
    for (const key of ["status", "statusCode", "responseCode"]) {
      if (typeof e[key] === "number") return true;
    }
    // Network and SDK codes (ECONNRESET, EENVELOPE, slack_webapi_platform_error), not Node's ERR_ bugs.
    if (typeof e.code === "string" && !e.code.startsWith("ERR_")) return true;
    error = e.cause;
  }
  return false;
}

/**
 * Every hostile user through every default event neither crashes a handler (a rejection other than the
 * service's error or a timeout; a `skip` is fine) nor injects anything at the service (`injected`).
 */
export async function checkHostileInput<E extends Emulator, O extends object>(
  config: RecipeTestConfig<E, O>,
  emulator: E,
): Promise<void> {
  const timeoutMs = timeoutOf(config);
  await prepare(emulator);
  const built = build(config, emulator);
  const { recipe } = instrument(built, { timeoutMs, retry: false });
  await watchingProcess(
    async () => {
      const runs = Object.entries(hostileUsers).flatMap(([key, user]) =>
        defaultEvents(built).map(async (event) => ({
          key,
          ...(await dispatch(recipe, event, defaultMessage(event, user))),
        })),
      );
      const crashes = (await Promise.all(runs))
        .filter(
          ({ result }) => result.status === "rejected" && !isUpstreamFailure(result.error?.cause),
        )
        .map(
          ({ key, event, result }) =>
            `${event} with hostileUsers.${key}: ${describeError(result.error?.cause)}`,
        );
      if (crashes.length) {
        fail(
          `the recipe crashed on hostile input (validate it, or return skip(reason)):\n${crashes.join("\n")}`,
        );
      }
      const injection = await config.injected?.(emulator);
      if (injection !== undefined) fail(`hostile input was injected at the service: ${injection}`);
    },
    () => prepare(emulator),
  );
}

function errorTexts(error: RecipeError): string[] {
  const texts = [error.message];
  // What the recipe threw, as it was: core prints only a redacted copy (`cause`), but a recipe's own
  // messages must be clean without core's help.
  let cause: unknown = error.unsafeCause;
  for (let depth = 0; depth < 4 && cause !== undefined && cause !== null; depth++) {
    try {
      texts.push(cause instanceof Error ? cause.message : String(cause));
    } catch {
      // An unprintable cause cannot leak through its message.
    }
    cause = typeof cause === "object" ? (cause as { cause?: unknown }).cause : undefined;
  }
  return texts;
}

function masked(secret: string): string {
  return secret.length > 8 ? `${secret.slice(0, 4)}…` : "…";
}

/**
 * No secret (the config's `secrets`, the fixtures' tokens) and no email address of the users dispatched
 * appears in the message of any `RecipeError`, nor in its causes' messages, whether the service answers
 * 500 or 400 or cannot be reached.
 */
export async function checkNoSecretsInErrors<E extends Emulator, O extends object>(
  config: RecipeTestConfig<E, O>,
  emulator: E,
): Promise<void> {
  const timeoutMs = timeoutOf(config);
  await prepare(emulator);
  const built = build(config, emulator);
  const { recipe } = instrument(built, { timeoutMs, retry: false });
  const everyone = [...Object.values(users), ...Object.values(hostileUsers)];
  const scenarios: Array<{ fault: string; apply: () => Promise<void> | void; who: FixtureUser[] }> =
    [
      {
        fault: "500",
        apply: () => emulator.fail({ times: Number.POSITIVE_INFINITY }),
        who: everyone,
      },
      {
        fault: "400",
        apply: () =>
          emulator.fail({
            times: Number.POSITIVE_INFINITY,
            status: 400,
            body: { error: { message: "invalid request", type: "invalid_request_error" } },
          }),
        who: everyone,
      },
      { fault: "connection refused", apply: () => emulator.down(), who: [users.alice] },
    ];
  let failures = 0;
  for (const scenario of scenarios) {
    await watchingProcess(
      async () => {
        await scenario.apply();
        const outcomes = await Promise.all(
          scenario.who.flatMap((user) =>
            defaultEvents(built).map((event) =>
              dispatch(recipe, event, defaultMessage(event, user)),
            ),
          ),
        );
        for (const { event, message, errors } of outcomes) {
          const secrets = [...(config.secrets?.(emulator) ?? []), ...secretsOf(message)];
          const emails = emailsOf(message);
          for (const error of errors) {
            failures++;
            for (const text of errorTexts(error)) {
              const secret = secrets.find((s) => s && text.includes(s));
              if (secret) {
                fail(
                  `with ${scenario.fault}, a ${event} error message contains the secret ${masked(secret)}`,
                );
              }
              const lower = text.toLowerCase();
              const email = emails.find((address) => lower.includes(address.toLowerCase()));
              if (email) {
                fail(
                  `with ${scenario.fault}, a ${event} error message contains the email address of the user (${masked(email)})`,
                );
              }
            }
          }
        }
      },
      () => prepare(emulator),
    );
  }
  // Without errors there was nothing to look at: the failure checks say why.
  if (!failures) fail("no error reached onError with the upstream failing: nothing to check");
}

/**
 * Where the service offers idempotency (`effects` is given): a delivery retried after its first
 * attempt's answer was lost leaves as many effects as one that went through at once. The answer is lost
 * two ways: delayed past the timeout by the emulator, and dropped after the first attempt completed.
 */
export async function checkIdempotentRetry<E extends Emulator, O extends object>(
  config: RecipeTestConfig<E, O>,
  emulator: E,
): Promise<void> {
  const { effects } = config;
  if (!effects) return;
  const timeoutMs = timeoutOf(config);
  const margin = marginOf(timeoutMs);
  const built = build(config, emulator);
  const events = defaultEvents(built);
  const retryOnce = {
    retries: 1,
    minDelayMs: 0,
    maxDelayMs: 0,
    jitter: false,
    retryIf: () => true,
  };

  // Every event at once, through the given recipe; returns the effects counted once every call stopped.
  const deliverAll = async (
    recipe: Recipe,
    calls: Call[],
    waitMs: number,
    retry?: Recipe["retry"],
  ) => {
    const started = performance.now();
    const outcomes = await Promise.all(
      events.map((event) => dispatch(recipe, event, defaultMessage(event), retry)),
    );
    await settled(calls, started + waitMs - performance.now());
    return { outcomes, count: await effects(emulator) };
  };

  await prepare(emulator);
  const once = instrument(built, { timeoutMs, retry: false });
  const baseline = await deliverAll(once.recipe, once.calls, timeoutMs + margin);
  for (const { event, result } of baseline.outcomes) {
    if (result.status === "rejected")
      fail(`${event} failed: ${describeError(result.error?.cause)}`);
  }
  if (baseline.count < 1) fail("effects() counted nothing after the default events were delivered");

  const lostAnswer = () =>
    Object.assign(new Error("the answer was lost (simulated by the conformance suite)"), {
      retryable: true,
    });
  const delayMs = timeoutMs + margin;
  const variants: Array<{ how: string; around: Around; before?: () => void; waitMs: number }> = [
    {
      how: `its answers were delayed ${delayMs} ms, past the ${timeoutMs} ms timeout`,
      before: () => emulator.delay(delayMs),
      // The retry finds the service prompt again.
      around: (context, run) => {
        if (context.attempt > 1) emulator.delay(0);
        return run();
      },
      waitMs: delayMs + timeoutMs + margin,
    },
    {
      how: "its answer was lost after it completed",
      around: (context, run) =>
        context.attempt > 1
          ? run()
          : run().then((value) => {
              if (isSkip(value)) return value;
              throw lostAnswer();
            }),
      waitMs: 2 * (timeoutMs + margin),
    },
  ];
  for (const variant of variants) {
    await prepare(emulator);
    const { recipe, calls } = instrument(built, { timeoutMs }, variant.around);
    variant.before?.();
    const { outcomes, count } = await deliverAll(recipe, calls, variant.waitMs, retryOnce);
    emulator.delay(0);
    for (const { event, result } of outcomes) {
      if (result.status !== "fulfilled" || result.attempts !== 2) {
        fail(
          `${event}, retried after ${variant.how}, ended ${result.status} after ${result.attempts} attempt(s)${result.error ? `: ${describeError(result.error.cause)}` : ""}`,
        );
      }
    }
    if (count !== baseline.count) {
      fail(
        `retried after ${variant.how}, the default events left ${count} effect(s) instead of ${baseline.count}: derive an idempotency key from the context's dispatchId`,
      );
    }
  }
  await prepare(emulator);
}

/**
 * The checks every recipe owes, in the order they run: shape, required options, delivery, the three
 * upstream failures, hostile input, secrets, and (with `effects`) idempotent retries. `testRecipe` from
 * `@auth-recipes/testing/vitest` registers them as tests; other runners can loop over them.
 */
export function conformanceChecks<E extends Emulator, O extends object>(
  config: RecipeTestConfig<E, O>,
): ConformanceCheck<E>[] {
  timeoutOf(config);
  const checks: ConformanceCheck<E>[] = [
    {
      title: `is a valid recipe named "${config.name}" that handles only next-auth's events`,
      run: (emulator) => checkRecipeShape(config, emulator),
    },
    {
      title: "throws a TypeError naming each missing required option",
      run: (emulator) => checkRequiredOptions(config, emulator),
    },
    {
      title: "delivers each default event to the service",
      run: (emulator) => checkDelivery(config, emulator),
    },
    ...(["error", "hang", "down"] as const).map((fault) => ({
      title: `settles within its timeout and reports to onError when the upstream is ${FAULT_NAMES[fault]}`,
      run: (emulator: E) => checkUpstreamFailure(config, emulator, fault),
    })),
    {
      title: "neither crashes nor injects with hostile users",
      run: (emulator) => checkHostileInput(config, emulator),
    },
    {
      title: "keeps secrets and email addresses out of error messages",
      run: (emulator) => checkNoSecretsInErrors(config, emulator),
    },
  ];
  if (config.effects) {
    checks.push({
      title: "does not duplicate its effect when a delivery is retried",
      run: (emulator) => checkIdempotentRetry(config, emulator),
    });
  }
  return checks;
}
