export { PostHogDeliveryError } from "./errors.ts";
export {
  type PostHogEventNames,
  type PostHogTrackingOptions,
  posthogTracking,
} from "./posthog-tracking.ts";
