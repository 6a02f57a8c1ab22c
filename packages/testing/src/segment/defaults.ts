// No runtime imports: `@auth-recipes/testing/defaults` reads this without loading the emulator.
import type { ServiceDefaults } from "../emulator/service.ts";

/** The credential the Segment emulator accepts when given none. */
export interface SegmentCredentials {
  /** The one write key the Segment emulator accepts. @default "emulated-segment-write-key" */
  segmentWriteKey: string;
}

/** The Segment emulator's defaults: the bin's port and the write key it accepts. */
export const segmentDefaults: ServiceDefaults<SegmentCredentials> = Object.freeze({
  port: 4030,
  credentials: Object.freeze({ segmentWriteKey: "emulated-segment-write-key" }),
});
