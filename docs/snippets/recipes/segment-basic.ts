import { composeEvents } from "@auth-recipes/core";
import { segmentTracking } from "@auth-recipes/segment";
import { Analytics } from "@segment/analytics-node";

// Once per process, at module scope. Bounded: the SDK's defaults retry 10 times with backoff.
const analytics = new Analytics({
  writeKey: process.env.SEGMENT_WRITE_KEY!,
  maxRetries: 2,
  httpRequestTimeout: 3_000,
});

export const events = composeEvents([segmentTracking({ analytics })]);
