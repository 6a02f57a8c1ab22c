// The recipe kit: what every recipe and every host of recipes needs, on its own subpath so that core's
// main entry, which next-auth apps import, does not carry the bytes of helpers only recipes use.
export { runAttempt } from "../attempt.ts";
export { configError, configRangeError, prefixed, requiredOption } from "../config-error.ts";
export { defaultOnError } from "../default-on-error.ts";
export { refuseDelayed } from "../delayed.ts";
export { publicError, traceEnqueue } from "../diagnostics.ts";
export { isNetworkError } from "../network.ts";
export type { AttemptOutcome } from "../outcomes.ts";
export { type RedactOptions, redact } from "../redact.ts";
export { backoffDelay, type RetryPolicy, retryDelay } from "../retry.ts";
export { type Route, type RouteOptions, type RouteTable, resolveRoutes } from "../routes.ts";
export type { RetryLater, RunBounds } from "../run-bounds.ts";
export { causeChain, messageOf } from "../thrown.ts";
export {
  ANALYTICS_EVENTS,
  type AnalyticsEvent,
  type AnalyticsEventNames,
  type AnalyticsIntent,
  type AnalyticsMapping,
  type AnalyticsMappingOptions,
  analyticsMapping,
  defaultTraits,
  type TrackedEvent,
} from "./analytics-events.ts";
export { BatchDelivery } from "./batch-delivery.ts";
export { batchBefore, batchInvariants, batchViolation } from "./batch-invariants.ts";
export { batchTransition, initialBatchState } from "./batch-machine.ts";
export type {
  BatchBefore,
  BatchCheck,
  BatchClock,
  BatchDeliveryOptions,
  BatchEffect,
  BatchEntry,
  BatchEntryState,
  BatchEvent,
  BatchFlushState,
  BatchPhase,
  BatchPort,
  BatchRound,
  BatchSettings,
  BatchState,
  BatchTimer,
  BatchWaiter,
} from "./batch-types.ts";
export {
  checkOptions,
  type OptionRule,
  type OptionSpec,
  type OptionType,
} from "./check-options.ts";
export { chosenEvents } from "./events-option.ts";
export { usableEmail, usableUserId } from "./identity.ts";
export { withRecipeOptions } from "./recipe-options.ts";
export { type RunHandlerOptions, runHandler } from "./run-handler.ts";
export { cutText } from "./text.ts";
export { UpstreamError, type UpstreamErrorOptions } from "./upstream-error.ts";
