import {
  type ComposeOptions,
  composeEvents,
  type DispatchReport,
  type EventMessages,
  type EventName,
  type RecipeError,
} from "@auth-recipes/core";
import { dispatchEvent, type SegmentEmulator, type SegmentMessage } from "@auth-recipes/testing";
import { Analytics, type AnalyticsSettings } from "@segment/analytics-node";
import { type SegmentTrackingOptions, segmentTracking } from "../src/index.ts";

/**
 * A client pointed at the emulator with the SDK's own batching left as it is (15 calls or 10 s), so a
 * handler that did not flush would be seen waiting; no SDK retries unless a test asks.
 */
export function analyticsFor(
  segment: SegmentEmulator,
  settings: Partial<AnalyticsSettings> = {},
): Analytics {
  return new Analytics({
    writeKey: segment.writeKey,
    ...segment.clientOptions,
    maxRetries: 0,
    httpRequestTimeout: 2000,
    ...settings,
  });
}

export interface Setup {
  analytics: Analytics;
  /** The composed events, as next-auth would call them. */
  events: Required<Pick<ReturnType<typeof composeEvents>, "signIn" | "signOut" | "createUser">> &
    ReturnType<typeof composeEvents>;
  errors: RecipeError[];
  reports: DispatchReport[];
  /** Calls one composed event and returns its report. */
  dispatch<E extends EventName>(event: E, message: EventMessages[E]): Promise<DispatchReport>;
}

/** The recipe on a fresh client, composed as an app would, with every outcome recorded. */
export function setup(
  segment: SegmentEmulator,
  options: Partial<SegmentTrackingOptions> = {},
  compose: ComposeOptions = {},
  settings: Partial<AnalyticsSettings> = {},
): Setup {
  const analytics = options.analytics ?? analyticsFor(segment, settings);
  const errors: RecipeError[] = [];
  const reports: DispatchReport[] = [];
  const recipe = segmentTracking({ ...options, analytics });
  const recorded: ComposeOptions = {
    ...compose,
    onError: (error) => {
      errors.push(error);
    },
    onSettled: (report) => {
      reports.push(report);
    },
  };
  const events = composeEvents([recipe], recorded) as Setup["events"];
  return {
    analytics,
    events,
    errors,
    reports,
    async dispatch(event, message) {
      return (await dispatchEvent([recipe], event, message, recorded)).report;
    },
  };
}

/** The messages the emulator accepted for one user, in order. */
export function messagesOf(segment: SegmentEmulator, userId: string): SegmentMessage[] {
  return segment.messages.filter((message) => message.userId === userId);
}
