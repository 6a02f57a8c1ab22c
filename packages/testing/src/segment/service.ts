import { masked } from "../emulator/masked.ts";
import type { ServiceEmulator } from "../emulator/service.ts";
import type { RecordedRequest } from "../emulator/types.ts";
import type { SegmentApiOptions, SegmentBatch, SegmentEmulator, SegmentMessage } from "./api.ts";
import { type SegmentCredentials, segmentDefaults } from "./defaults.ts";

/** What the inbox shows of the Segment emulator. */
export interface SegmentInbox {
  url: string;
  messages: SegmentMessage[];
  batches: SegmentBatch[];
  requests: RecordedRequest[];
}

/** Segment in the list of emulators: `SEGMENT_HOST`, `SEGMENT_PATH` and `SEGMENT_WRITE_KEY`. */
export const segmentService: ServiceEmulator<
  "segment",
  SegmentEmulator,
  SegmentApiOptions,
  SegmentInbox,
  SegmentCredentials
> = {
  key: "segment",
  title: "Segment API",
  defaults: segmentDefaults,
  // Imported when started: the list, and EMULATOR_DEFAULTS derived from it, load no emulator.
  start: async (options) => (await import("./api.ts")).startSegmentApi(options),
  environment: (segment) => ({
    SEGMENT_HOST: segment.clientOptions.host,
    SEGMENT_PATH: segment.clientOptions.path,
    SEGMENT_WRITE_KEY: segment.writeKey,
  }),
  inbox: (segment) => ({
    url: segment.url,
    messages: segment.messages,
    batches: segment.batches,
    requests: masked(segment.requests),
  }),
};
