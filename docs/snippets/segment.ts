// lib/segment.ts: the Segment client for segmentTracking. Only the Segment recipe imports it: the
// client throws without a write key.
import { Analytics } from "@segment/analytics-node";

// SEGMENT_HOST and SEGMENT_PATH are set by `npx auth-recipes-emulators` only.
const { SEGMENT_HOST, SEGMENT_PATH } = process.env;

export const analytics = new Analytics({
  writeKey: process.env.SEGMENT_WRITE_KEY!,
  ...(SEGMENT_HOST && { host: SEGMENT_HOST, path: SEGMENT_PATH }),
});
