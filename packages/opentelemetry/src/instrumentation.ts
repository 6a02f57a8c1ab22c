import { type TracingChannelSubscribers, tracingChannel } from "node:diagnostics_channel";
import type { EventName } from "@auth-recipes/core";
import { TRACING_CHANNELS } from "@auth-recipes/core";
import { InstrumentationBase, type InstrumentationConfig } from "@opentelemetry/instrumentation";
import { ChannelSpans } from "./spans.ts";
import { VERSION } from "./version.ts";

/** Options for {@link AuthRecipesInstrumentation}. */
export interface AuthRecipesInstrumentationConfig extends InstrumentationConfig {
  /**
   * Events not to trace. `session` fires on every session read: list it to keep traces of page loads
   * free of a span per read.
   * @default []
   * @example ["session"]
   */
  ignoreEvents?: EventName[];
  /**
   * Trace a dispatch only when a span is active where next-auth calls the event (an HTTP server span,
   * for instance), and a queued job only when it carries the enqueuer's trace context.
   * @default false
   */
  requireParentSpan?: boolean;
}

type Subscription = { channel: string; handlers: TracingChannelSubscribers<object> };

/** Node subscribes only the handlers present; its types want all five. */
function subscribers(handlers: object): TracingChannelSubscribers<object> {
  return handlers as TracingChannelSubscribers<object>;
}

// State lives beside the instance, not in class fields: InstrumentationBase's constructor calls
// enable() before a subclass's field initializers run, and they would then wipe what enable() set.
const state = new WeakMap<AuthRecipesInstrumentation, Subscription[]>();

/**
 * An OpenTelemetry instrumentation for auth-recipes: a span per dispatch (`auth-recipes <event>`) with a
 * child span per handler attempt (`auth-recipes <event> <recipe>`, with the recipe, the attempt, the
 * outcome and `error.type`, status ERROR when it failed), and a `send <queue>` producer span around
 * `@auth-recipes/bullmq`'s enqueue whose context the jobs carry, so a worker's spans join the sign-in's
 * trace.
 *
 * It patches no module: it subscribes to the `diagnostics_channel` tracing channels core publishes on
 * (see `TRACING_CHANNELS` in `@auth-recipes/core`), so it works whatever loads core, bundled or not, ESM
 * or CommonJS. No span holds an event's message: no email address, no token.
 *
 * @example
 * ```ts
 * import { NodeSDK } from "@opentelemetry/sdk-node";
 * import { AuthRecipesInstrumentation } from "@auth-recipes/opentelemetry";
 *
 * new NodeSDK({ instrumentations: [new AuthRecipesInstrumentation()] }).start();
 * ```
 */
export class AuthRecipesInstrumentation extends InstrumentationBase<AuthRecipesInstrumentationConfig> {
  /** @param config the options; the instrumentation is enabled unless `enabled: false`. */
  constructor(config: AuthRecipesInstrumentationConfig = {}) {
    super("@auth-recipes/opentelemetry", VERSION, config);
  }

  /** Nothing to patch: core's channels are the only hook. */
  protected override init(): [] {
    return [];
  }

  /** Subscribes to core's tracing channels. Calling it twice subscribes once. */
  override enable(): void {
    super.enable();
    if (state.has(this)) return;
    const spans = new ChannelSpans({
      tracer: () => this.tracer,
      ignores: (event) => this.getConfig().ignoreEvents?.includes(event) === true,
      requireParentSpan: () => this.getConfig().requireParentSpan === true,
    });
    const subscriptions: Subscription[] = [
      { channel: TRACING_CHANNELS.dispatch, handlers: subscribers(spans.dispatch) },
      { channel: TRACING_CHANNELS.attempt, handlers: subscribers(spans.attempt) },
      { channel: TRACING_CHANNELS.enqueue, handlers: subscribers(spans.enqueue) },
    ];
    for (const { channel, handlers } of subscriptions) tracingChannel(channel).subscribe(handlers);
    state.set(this, subscriptions);
  }

  /** Unsubscribes: dispatches cost nothing again once no other subscriber listens. */
  override disable(): void {
    super.disable();
    const subscriptions = state.get(this);
    if (!subscriptions) return;
    for (const { channel, handlers } of subscriptions)
      tracingChannel(channel).unsubscribe(handlers);
    state.delete(this);
  }
}
