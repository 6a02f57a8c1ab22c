// One tracer provider for a test file, exporting to memory, with the context manager and the W3C
// propagator a NodeSDK would install.
import { context, propagation, type Span } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { registerInstrumentations } from "@opentelemetry/instrumentation";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { AuthRecipesInstrumentation, type AuthRecipesInstrumentationConfig } from "../src/index.ts";

export interface Tracing {
  exporter: InMemorySpanExporter;
  instrumentation: AuthRecipesInstrumentation;
  /** Finished spans, in the order they ended. */
  spans(): ReadableSpan[];
  /** The one finished span with this name. */
  span(name: string): ReadableSpan;
  /** Runs `work` inside an active span named `name`, as an HTTP server span would be. */
  inSpan<T>(name: string, work: (span: Span) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function setUpTracing(config: AuthRecipesInstrumentationConfig = {}): Tracing {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const instrumentation = new AuthRecipesInstrumentation(config);
  const unregister = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [instrumentation],
  });
  const tracer = provider.getTracer("test");
  return {
    exporter,
    instrumentation,
    spans: () => exporter.getFinishedSpans(),
    span(name) {
      const found = exporter.getFinishedSpans().filter((span) => span.name === name);
      if (found.length !== 1) {
        const names = exporter.getFinishedSpans().map((span) => span.name);
        throw new Error(
          `expected one span "${name}", got ${found.length} among ${JSON.stringify(names)}`,
        );
      }
      return found[0]!;
    },
    inSpan: (name, work) =>
      tracer.startActiveSpan(name, (span) => work(span).finally(() => span.end())),
    async close() {
      unregister();
      instrumentation.disable();
      await provider.shutdown();
      context.disable();
      propagation.disable();
      contextManager.disable();
    },
  };
}

/** The span's parent span id, across the SDK's 1.x and 2.x shapes. */
export function parentOf(span: ReadableSpan): string | undefined {
  return (
    span.parentSpanContext?.spanId ?? (span as unknown as { parentSpanId?: string }).parentSpanId
  );
}
