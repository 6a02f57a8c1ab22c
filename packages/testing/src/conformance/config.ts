import type { Awaitable, EventMessages, EventName, Recipe } from "@auth-recipes/core";
import type { Emulator } from "../emulator/types.ts";
import type { FixtureUser } from "../fixtures/types.ts";
import type { RecipeHost } from "./host.ts";

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
  /**
   * The auth library the checks dispatch through, named in the test titles: run the suite once per
   * host a recipe supports (`@auth-recipes/better-auth` provides a better-auth host).
   * @default nextAuthHost (next-auth: the composed callback, awaited)
   */
  host?: RecipeHost;
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
