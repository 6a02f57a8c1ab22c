import { composeEvents } from "@auth-recipes/core";
import { segmentTracking } from "@auth-recipes/segment";
import { metrics } from "@opentelemetry/api";
import { analytics } from "./segment";

const meter = metrics.getMeter("auth-recipes");
const duration = meter.createHistogram("auth_recipes.handler.duration", {
  unit: "ms",
  description: "How long each recipe's handler took, retries included",
});
const attempts = meter.createCounter("auth_recipes.handler.attempts");

export const events = composeEvents([segmentTracking({ analytics })], {
  // One data point per handler and dispatch: recipe, event and outcome as attributes.
  onSettled: ({ event, results }) => {
    for (const { recipe, status, durationMs, attempts: count } of results) {
      const attributes = { recipe, event, status };
      duration.record(durationMs, attributes);
      attempts.add(count, attributes);
    }
  },
});
