import { masked } from "../emulator/masked.ts";
import type { ServiceEmulator } from "../emulator/service.ts";
import type { RecordedRequest } from "../emulator/types.ts";
import { type PostHogCredentials, posthogDefaults } from "./defaults.ts";
import type { PostHogApiOptions, PostHogBatch, PostHogEmulator, PostHogEvent } from "./types.ts";

/** What the inbox shows of the PostHog emulator. */
export interface PostHogInbox {
  url: string;
  events: PostHogEvent[];
  batches: PostHogBatch[];
  requests: RecordedRequest[];
}

/** PostHog in the list of emulators: `POSTHOG_HOST` and `POSTHOG_API_KEY`. */
export const posthogService: ServiceEmulator<
  "posthog",
  PostHogEmulator,
  PostHogApiOptions,
  PostHogInbox,
  PostHogCredentials
> = {
  key: "posthog",
  title: "PostHog API",
  defaults: posthogDefaults,
  // Imported when started: the list, and EMULATOR_DEFAULTS derived from it, load no emulator.
  start: async (options) => (await import("./api.ts")).startPostHogApi(options),
  environment: (posthog) => ({
    POSTHOG_HOST: posthog.clientOptions.host,
    POSTHOG_API_KEY: posthog.apiKey,
  }),
  inbox: (posthog) => ({
    url: posthog.url,
    events: posthog.events,
    batches: posthog.batches,
    requests: masked(posthog.requests),
  }),
};
