// Without OpenTelemetry: subscribe to core's channels yourself, here to log slow and failed attempts.
import { tracingChannel } from "node:diagnostics_channel";
import { type AttemptTrace, TRACING_CHANNELS } from "@auth-recipes/core";

const started = new WeakMap<AttemptTrace, number>();

tracingChannel<unknown, AttemptTrace>(TRACING_CHANNELS.attempt).subscribe({
  start: (attempt) => started.set(attempt, performance.now()),
  end: () => {},
  asyncStart: () => {},
  error: () => {},
  asyncEnd: (attempt) => {
    const ms = performance.now() - (started.get(attempt) ?? performance.now());
    if (attempt.outcome === "rejected" || ms > 1_000) {
      // `error` is core's redacted copy: its name and message, no email address, no token.
      console.warn(
        `${attempt.recipe} ${attempt.event} #${attempt.attempt}: ${attempt.outcome} in ${ms.toFixed(0)} ms`,
        attempt.error?.message ?? "",
      );
    }
  },
});
