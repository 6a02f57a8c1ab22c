// Core reports its work on Node's `diagnostics_channel` tracing channels, the zero-dependency way a
// library exposes its work to APM agents (undici and fastify do the same). The module is loaded through
// `process.getBuiltinModule`, never a static `node:` import, so core stays importable on the edge runtime
// and in browsers, where the channels are simply absent.
import type { EventName } from "./events.ts";
import type { AttemptOutcome, HandlerResult, Outcome } from "./outcomes.ts";
import { redact } from "./redact.ts";

/**
 * The names of the tracing channels core publishes on, for `diagnostics_channel.tracingChannel(name)`.
 * Each is five channels: `tracing:<name>:start`, `:end`, `:asyncStart`, `:asyncEnd` and `:error`, all
 * published with one context object per traced operation.
 *
 * - `dispatch`: one composed callback's call; context {@link DispatchTrace}.
 * - `attempt`: one attempt of one recipe's handler; context {@link AttemptTrace}.
 * - `enqueue`: a host that queues recipes for a worker (`@auth-recipes/bullmq`) adding its jobs; context
 *   {@link EnqueueTrace}, whose `carrier` a tracer fills with its trace context.
 */
export const TRACING_CHANNELS: {
  readonly dispatch: "auth-recipes:dispatch";
  readonly attempt: "auth-recipes:attempt";
  readonly enqueue: "auth-recipes:enqueue";
} = {
  dispatch: "auth-recipes:dispatch",
  attempt: "auth-recipes:attempt",
  enqueue: "auth-recipes:enqueue",
};

/** How one recipe's handler ended, in {@link DispatchTrace.results}. */
export interface DispatchTraceResult {
  /** The recipe's name. */
  recipe: string;
  /** How it ended. */
  status: Outcome;
  /** Attempts made, counting from 1. */
  attempts: number;
}

/**
 * The context of the `auth-recipes:dispatch` tracing channel: one per composed callback's call. It never
 * holds the event's message (no email address, no token).
 */
export interface DispatchTrace {
  /** The event dispatched. */
  event: EventName;
  /** The id every handler of this dispatch sees in its context. */
  dispatchId: string;
  /** The recipes that handle the event, in the order given. */
  recipes: readonly string[];
  /** Set before `asyncStart`: how each handler ended. */
  results?: DispatchTraceResult[];
}

/**
 * The context of the `auth-recipes:attempt` tracing channel: one per attempt of one handler. `error` is
 * published (on `:error` too) when the attempt failed; a skip is not an error.
 */
export interface AttemptTrace {
  /** The event handled. */
  event: EventName;
  /** The recipe whose handler runs. */
  recipe: string;
  /** The attempt number, counting from 1. */
  attempt: number;
  /** The dispatch's id; in a worker, the id of the dispatch that queued the job. */
  dispatchId: string;
  /** Set before `asyncStart`: how the attempt ended. */
  outcome?: Outcome;
  /** Set before `asyncStart`: whether the attempt ran past its timeout. */
  timedOut?: boolean;
  /**
   * Set when the attempt failed: an `Error` with the cause's `name` (and string `code`, if any) and its
   * message with email addresses and secrets redacted. Never the thrown value itself.
   */
  error?: Error;
  /** Set when the handler skipped: the reason it gave, email addresses and secrets redacted. */
  reason?: string;
  /**
   * The trace context the job was queued with (W3C `traceparent`/`tracestate`), when a worker runs a
   * queued recipe: a tracer continues the enqueuer's trace from it.
   */
  traceCarrier?: Readonly<Record<string, string>>;
}

/**
 * The context of the `auth-recipes:enqueue` tracing channel, published by a host that queues recipes
 * for a worker, around the call that adds the jobs. A tracer subscribed to `:start` writes its trace
 * context into `carrier` (a W3C `traceparent` header, for instance); the host stores a copy of `carrier`
 * in every job and hands it back to {@link AttemptTrace.traceCarrier} when a worker runs the job.
 */
export interface EnqueueTrace {
  /** The event dispatched. */
  event: EventName;
  /** The dispatch whose recipes are queued. */
  dispatchId: string;
  /** The name of the recipe that enqueues (`bullmq` by default): its attempt is the enqueue's parent. */
  recipe: string;
  /** The recipes queued, one job each. */
  recipes: readonly string[];
  /** The queue's name. */
  queue: string;
  /** Filled by subscribers to `:start`, read by the host when it builds the jobs. Starts empty. */
  carrier: Record<string, string>;
  /**
   * Set when adding the jobs failed (on `:error` too): as {@link AttemptTrace.error}, an `Error` with the
   * failure's `name` (and string `code`) when they are identifiers and its message redacted. Never the
   * thrown value itself, which the host still receives.
   */
  error?: Error;
}

/** The part of Node's `TracingChannel` that core uses: typed here so no `node:` types leak. */
export interface TracingChannelLike<C extends object> {
  readonly hasSubscribers: boolean;
  tracePromise<T>(fn: () => Promise<T>, context: C): Promise<T>;
}

/** Core's tracing channels, or `undefined` where `diagnostics_channel` is unavailable. */
export interface Tracing {
  dispatch: TracingChannelLike<DispatchTrace>;
  attempt: TracingChannelLike<AttemptTrace>;
  enqueue: TracingChannelLike<EnqueueTrace>;
}

type DiagnosticsChannel = {
  tracingChannel<C extends object>(name: string): TracingChannelLike<C>;
};

let loaded: Tracing | null | undefined;

/**
 * Core's tracing channels, made on first use; `undefined` without `diagnostics_channel` (edge runtime,
 * browsers, Node before 20.16). Hosts check `hasSubscribers` before building any context, so tracing
 * costs one property read per dispatch and attempt when nobody listens.
 */
export function tracing(): Tracing | undefined {
  if (loaded === undefined) {
    loaded = null;
    try {
      const host = globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } };
      const dc = host.process?.getBuiltinModule?.("node:diagnostics_channel") as
        | DiagnosticsChannel
        | undefined;
      if (dc && typeof dc.tracingChannel === "function") {
        loaded = {
          dispatch: dc.tracingChannel(TRACING_CHANNELS.dispatch),
          attempt: dc.tracingChannel(TRACING_CHANNELS.attempt),
          enqueue: dc.tracingChannel(TRACING_CHANNELS.enqueue),
        };
      }
    } catch {
      // A runtime that pretends to be Node but cannot load the module: run untraced.
    }
  }
  return loaded ?? undefined;
}

/** What a dispatch's trace says of its handlers: how each ended, not what it reported. */
export function traceResults(results: readonly HandlerResult[]): DispatchTraceResult[] {
  return results.map(({ recipe, status, attempts }) => ({ recipe, status, attempts }));
}

/**
 * For a host that queues a dispatch's recipes for a worker (`@auth-recipes/bullmq`): runs `addJobs`
 * inside the `auth-recipes:enqueue` tracing channel and hands it the carrier that subscribers filled
 * with their trace context (empty while nobody subscribes). Store a copy of the carrier in each job and
 * pass it back as `runAttempt`'s `traceCarrier` in the worker. Resolves or rejects as `addJobs` does.
 *
 * @example
 * ```ts
 * await traceEnqueue({ event, dispatchId, recipe: "bullmq", recipes, queue: queue.name }, (carrier) =>
 *   queue.addBulk(recipes.map((name) => ({ name, data: { event, recipe: name, dispatchId, message, traceCarrier: { ...carrier } } }))),
 * );
 * ```
 */
export function traceEnqueue<T>(
  enqueue: Omit<EnqueueTrace, "carrier">,
  addJobs: (carrier: Readonly<Record<string, string>>) => Promise<T>,
): Promise<T> {
  const channel = tracing()?.enqueue;
  if (!channel?.hasSubscribers) return addJobs({});
  const context: EnqueueTrace = { ...enqueue, carrier: {} };
  // Subscribers see the failure's public form, as an attempt's; the host gets what was thrown.
  let thrown: { error: unknown } | undefined;
  const published = channel.tracePromise(async () => {
    try {
      return await addJobs(context.carrier);
    } catch (error) {
      thrown = { error };
      throw publicError(error);
    }
  }, context);
  return published.catch((error: unknown) => {
    throw thrown ? thrown.error : error;
  });
}

/**
 * Runs one dispatch inside the `auth-recipes:dispatch` tracing channel (the caller has checked
 * `hasSubscribers`); `run` fills in the context's `results` before it resolves.
 */
export function traceDispatch(
  channel: TracingChannelLike<DispatchTrace>,
  context: DispatchTrace,
  run: (context: DispatchTrace) => Promise<void>,
): Promise<void> {
  return channel.tracePromise(() => run(context), context);
}

/**
 * Runs one attempt inside the `auth-recipes:attempt` tracing channel (the caller has checked
 * `hasSubscribers`). A failed attempt is published on `:error`; the returned promise still resolves with
 * the attempt's outcome and never rejects.
 */
export function traceAttempt(
  channel: TracingChannelLike<AttemptTrace>,
  context: AttemptTrace,
  run: () => Promise<AttemptOutcome>,
): Promise<AttemptOutcome> {
  let outcome: AttemptOutcome | undefined;
  // The traced function resolves with nothing: a tracing channel publishes what it resolves with as
  // `context.result`, and the outcome holds the thrown value and the raw skip reason.
  const untilEnd = channel.tracePromise(async () => {
    outcome = await run();
    context.outcome = outcome.status;
    context.timedOut = outcome.timedOut;
    if (outcome.reason !== undefined) context.reason = redact(outcome.reason);
    // Rejecting is how a tracing channel reports a failure (`:error`, then `:asyncStart`).
    if (outcome.status === "rejected") throw publicError(outcome.error);
  }, context);
  // `run` never rejects: only a subscriber's broken store transform could leave no outcome.
  const done = () => {
    if (!outcome) throw new Error("[auth-recipes/core] the attempt did not run");
    return outcome;
  };
  return untilEnd.then(done, done);
}

const IDENTIFIER = /^[\w$.-]{1,64}$/;

/**
 * What subscribers see of a failure: the cause's `name` and string `code` when they are identifiers, its
 * message redacted. The thrown value itself can hold anything (a request with its headers, the user's
 * email in a message). Applying it to its own result changes nothing, so a subscriber may apply it again.
 *
 * @example
 * ```ts
 * span.setAttribute("error.type", publicError(error).name); // "Error" for a name like "alice@example.com"
 * ```
 */
export function publicError(cause: unknown): Error {
  let name = "Error";
  let message = "";
  let code: unknown;
  try {
    // A RecipeError wraps the thrown value: its own name says nothing about what failed.
    const wrapped = (cause as { name?: unknown } | null)?.name === "RecipeError";
    const source = wrapped ? (cause as { cause: unknown }).cause : cause;
    if (source instanceof Error) {
      // A name is a class's name; anything else (spaces, an address) is not one, so it is not kept.
      name =
        typeof source.name === "string" && IDENTIFIER.test(source.name) ? source.name : "Error";
      message = source.message;
      code = (source as { code?: unknown }).code;
    } else {
      name = source === null ? "null" : typeof source;
      message = String(source);
    }
  } catch {
    message = "(unprintable)";
  }
  const error = new Error(redact(message));
  error.name = name;
  if (typeof code === "string" && IDENTIFIER.test(code)) Object.assign(error, { code });
  return error;
}
