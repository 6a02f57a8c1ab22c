import type { AttemptTrace, DispatchTrace, EnqueueTrace, EventName } from "@auth-recipes/core";
import { publicError } from "@auth-recipes/core/kit";
import {
  type Attributes,
  type Context,
  context,
  type Link,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from "@opentelemetry/api";
import { ATTRIBUTES as A, MESSAGING_SYSTEM } from "./attributes.ts";

/** What the spans need from the instrumentation's configuration, read at each event. */
export interface SpanSettings {
  tracer(): Tracer;
  ignores(event: EventName): boolean;
  requireParentSpan(): boolean;
}

/** The handlers of one tracing channel, as `TracingChannel.subscribe` takes them. */
export interface ChannelHandlers<C> {
  start(context: C): void;
  asyncEnd(context: C): void;
}

/**
 * Turns core's channel messages into spans. The context objects core publishes are the keys: the same
 * object arrives at `start` and `asyncEnd`, so a WeakMap holds the span in between and nothing leaks
 * when a subscriber misses an end. Parents are found explicitly (a dispatch's span by its id), because
 * an attempt starts inside core, where the dispatch's span is not the active context.
 */
export class ChannelSpans {
  private readonly spans = new WeakMap<object, Span>();
  private readonly dispatches = new Map<string, Span>();
  private readonly attempts = new Map<string, Span>();

  constructor(private readonly settings: SpanSettings) {}

  readonly dispatch: ChannelHandlers<DispatchTrace> = {
    start: (message) =>
      this.guard(() => {
        if (this.settings.ignores(message.event)) return;
        const parent = context.active();
        if (this.settings.requireParentSpan() && !trace.getSpan(parent)) return;
        const span = this.settings.tracer().startSpan(
          `${MESSAGING_SYSTEM} ${message.event}`,
          {
            kind: SpanKind.INTERNAL,
            attributes: {
              ...messaging("process", "dispatch", message.event),
              ...batchOf(message),
            },
          },
          parent,
        );
        this.spans.set(message, span);
        this.dispatches.set(message.dispatchId, span);
      }),
    asyncEnd: (message) =>
      this.guard(() => {
        const span = this.take(message);
        if (!span) return;
        this.dispatches.delete(message.dispatchId);
        const rejected = (message.results ?? []).filter((result) => result.status === "rejected");
        span.setAttribute(A.rejected, rejected.length);
        if (rejected.length) {
          const names = rejected.map((result) => result.recipe).join(", ");
          span.setStatus({ code: SpanStatusCode.ERROR, message: `failed: ${names}` });
        }
        span.end();
      }),
  };

  readonly attempt: ChannelHandlers<AttemptTrace> = {
    start: (message) =>
      this.guard(() => {
        if (this.settings.ignores(message.event)) return;
        const queued = message.traceCarrier ? extract(message.traceCarrier) : undefined;
        const dispatch = this.dispatches.get(message.dispatchId);
        let parent: Context;
        const links: Link[] = [];
        if (queued) {
          // A queued job, run by a worker: the messaging conventions link a process span to the
          // message's creation context, and allow it as the parent when one message is processed.
          parent = queued;
          const creation = trace.getSpanContext(queued);
          if (creation) links.push({ context: creation });
        } else if (dispatch) {
          parent = trace.setSpan(context.active(), dispatch);
        } else {
          // No dispatch span: a dispatch declined for want of a parent (its attempts are declined the
          // same way), or a worker's job queued without a trace context, which starts a trace of its own.
          if (this.settings.requireParentSpan() && !trace.getSpan(context.active())) return;
          parent = context.active();
        }
        const span = this.settings.tracer().startSpan(
          `${MESSAGING_SYSTEM} ${message.event} ${message.recipe}`,
          {
            kind: queued ? SpanKind.CONSUMER : SpanKind.INTERNAL,
            links,
            attributes: {
              ...messaging("process", "process", message.event),
              [A.messageId]: message.dispatchId,
              [A.event]: message.event,
              [A.recipe]: message.recipe,
              [A.attempt]: message.attempt,
            },
          },
          parent,
        );
        this.spans.set(message, span);
        this.attempts.set(attemptKey(message.dispatchId, message.recipe), span);
      }),
    asyncEnd: (message) =>
      this.guard(() => {
        const span = this.take(message);
        if (!span) return;
        const key = attemptKey(message.dispatchId, message.recipe);
        if (this.attempts.get(key) === span) this.attempts.delete(key);
        const attributes: Attributes = { [A.timedOut]: message.timedOut === true };
        if (message.outcome) attributes[A.outcome] = message.outcome;
        if (message.reason !== undefined) attributes[A.skipReason] = message.reason;
        span.setAttributes(attributes);
        if (message.outcome === "rejected") {
          const error = failed(span, message.error);
          span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
        }
        span.end();
      }),
  };

  readonly enqueue: ChannelHandlers<EnqueueTrace> & { error(message: EnqueueTrace): void } = {
    start: (message) =>
      this.guard(() => {
        if (this.settings.ignores(message.event)) return;
        const enqueuer = this.attempts.get(attemptKey(message.dispatchId, message.recipe));
        if (!enqueuer && this.settings.requireParentSpan()) return;
        const parent = enqueuer ? trace.setSpan(context.active(), enqueuer) : context.active();
        const span = this.settings.tracer().startSpan(
          `send ${message.queue}`,
          {
            kind: SpanKind.PRODUCER,
            attributes: {
              ...messaging("send", "send", message.queue),
              ...batchOf(message),
            },
          },
          parent,
        );
        this.spans.set(message, span);
        // The send span is the jobs' creation context: a worker's spans link to it and continue it.
        propagation.inject(trace.setSpan(parent, span), message.carrier);
      }),
    error: (message) =>
      this.guard(() => {
        const span = this.spans.get(message);
        if (!span) return;
        const { name } = failed(span, message.error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: `${name}: the jobs were not added` });
      }),
    asyncEnd: (message) => this.guard(() => this.take(message)?.end()),
  };

  private take(message: object): Span | undefined {
    const span = this.spans.get(message);
    this.spans.delete(message);
    return span;
  }

  /** A subscriber that throws would crash the process (Node reports it as an uncaught exception). */
  private guard(work: () => void): void {
    try {
      work();
    } catch {
      // Tracing must never break a dispatch; a lost span is the lesser harm.
    }
  }
}

/**
 * Sets `error.type` on a failed span, and returns what a span may say of the failure: every span goes
 * through this one filter (core's `publicError`: a name that is not an identifier, such as an address
 * or `Bearer …`, becomes `Error`; the message is redacted), whatever the channel already did.
 */
function failed(span: Span, error: unknown): Error {
  const visible = error === undefined ? new Error("") : publicError(error);
  span.setAttribute(A.errorType, visible.name || "Error");
  return visible;
}

function messaging(type: string, name: string, destination: string): Attributes {
  return {
    [A.messagingSystem]: MESSAGING_SYSTEM,
    [A.operationType]: type,
    [A.operationName]: name,
    [A.destination]: destination,
  };
}

/** What a dispatch and the send of its jobs both say: the dispatch, its event and its recipes. */
function batchOf(message: {
  dispatchId: string;
  event: string;
  recipes: readonly string[];
}): Attributes {
  return {
    [A.messageId]: message.dispatchId,
    [A.event]: message.event,
    [A.recipes]: [...message.recipes],
    [A.batchCount]: message.recipes.length,
  };
}

function extract(carrier: Readonly<Record<string, string>>): Context | undefined {
  const extracted = propagation.extract(context.active(), carrier);
  return trace.getSpanContext(extracted) ? extracted : undefined;
}

function attemptKey(dispatchId: string, recipe: string): string {
  return `${dispatchId}\u0000${recipe}`;
}
