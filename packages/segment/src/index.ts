export { SegmentDeliveryError } from "./errors.ts";
export {
  type SegmentEventNames,
  type SegmentTrackingOptions,
  segmentTracking,
} from "./segment-tracking.ts";
