import { masked } from "../emulator/masked.ts";
import type { ServiceEmulator } from "../emulator/service.ts";
import type { RecordedRequest } from "../emulator/types.ts";
import { startPostHogApi } from "./api.ts";
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
  PostHogInbox
> = {
  key: "posthog",
  title: "PostHog API",
  start: startPostHogApi,
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
