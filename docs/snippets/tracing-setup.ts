// tracing.ts: load it before anything that imports the recipes (Next.js: from `register()` in
// instrumentation.ts; a worker: `node --import ./tracing.js worker.js`).
import { AuthRecipesInstrumentation } from "@auth-recipes/opentelemetry";
import { context, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { registerInstrumentations } from "@opentelemetry/instrumentation";
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ConsoleSpanExporter,
} from "@opentelemetry/sdk-trace-base";

const provider = new BasicTracerProvider({
  // Your exporter here (OTLP to a collector, for instance); the console one prints each span.
  spanProcessors: [new BatchSpanProcessor(new ConsoleSpanExporter())],
});
trace.setGlobalTracerProvider(provider);
// Parents follow the async flow of each request...
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
// ...and the trace context travels into queued jobs as a W3C `traceparent`.
propagation.setGlobalPropagator(new W3CTraceContextPropagator());

registerInstrumentations({
  // `session` fires on every session read: leave it out unless you want a span per page load.
  instrumentations: [new AuthRecipesInstrumentation({ ignoreEvents: ["session"] })],
});
