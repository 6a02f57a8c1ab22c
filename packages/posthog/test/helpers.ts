import {
  type ComposeOptions,
  composeEvents,
  type DispatchReport,
  type EventMessages,
  type EventName,
  type RecipeError,
} from "@auth-recipes/core";
import { dispatchEvent, type PostHogEmulator, type PostHogEvent } from "@auth-recipes/testing";
import { PostHog, type PostHogOptions } from "posthog-node";
import { afterEach } from "vitest";
import { type PostHogTrackingOptions, posthogTracking } from "../src/index.ts";

const clients: PostHog[] = [];
// No client outlives its test: its timers would keep the run alive.
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.shutdown(100)));
});

/** A client pointed at the emulator; no SDK retries and a 2 s request timeout unless a test says. */
export function clientFor(posthog: PostHogEmulator, options: PostHogOptions = {}): PostHog {
  const client = new PostHog(posthog.apiKey, {
    ...posthog.clientOptions,
    fetchRetryCount: 0,
    requestTimeout: 2000,
    ...options,
  });
  clients.push(client);
  return client;
}

export interface Setup {
  client: PostHog;
  events: ReturnType<typeof composeEvents>;
  errors: RecipeError[];
  reports: DispatchReport[];
  /** Calls one composed event and returns its report. */
  dispatch<E extends EventName>(event: E, message: EventMessages[E]): Promise<DispatchReport>;
}

/** The recipe on a fresh client, composed as an app would, with every outcome recorded. */
export function setup(
  posthog: PostHogEmulator,
  options: Partial<PostHogTrackingOptions> = {},
  compose: ComposeOptions = {},
  clientOptions: PostHogOptions = {},
): Setup {
  const client = options.posthog ?? clientFor(posthog, clientOptions);
  const errors: RecipeError[] = [];
  const reports: DispatchReport[] = [];
  const recipe = posthogTracking({ ...options, posthog: client });
  const recorded: ComposeOptions = {
    ...compose,
    onError: (error) => {
      errors.push(error);
    },
    onSettled: (report) => {
      reports.push(report);
    },
  };
  return {
    client,
    events: composeEvents([recipe], recorded),
    errors,
    reports,
    async dispatch(event, message) {
      return (await dispatchEvent([recipe], event, message, recorded)).report;
    },
  };
}

/** The events the emulator accepted for one person, in order. */
export function eventsOf(posthog: PostHogEmulator, distinctId: string): PostHogEvent[] {
  return posthog.events.filter((event) => event.distinct_id === distinctId);
}
