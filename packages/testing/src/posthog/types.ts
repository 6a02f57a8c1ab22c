import type { Emulator, EmulatorOptions } from "../emulator/types.ts";

/** Options for {@link startPostHogApi}. */
export interface PostHogApiOptions extends EmulatorOptions {
  /**
   * The one project API key the emulator accepts, as the body's `api_key` field (posthog-node sends it
   * there, not in a header).
   * @default "phc_emulator_key"
   */
  apiKey?: string;
}

/** One event as the emulator accepted it, parsed from the batch's JSON. */
export interface PostHogEvent {
  /** The event name: `user signed up`, or PostHog's own such as `$identify` and `$set`. */
  event: string;
  /** The person it is about. */
  distinct_id: string;
  /** PostHog deduplicates on it, as a best effort ("not guaranteed", its docs say). */
  uuid?: string;
  /** The event's properties, `$set` (person properties) and the SDK's `$lib` included. */
  properties?: Record<string, unknown>;
  timestamp?: string;
  /** Anything else the event carried. */
  [field: string]: unknown;
}

/** One `POST /batch/` the emulator accepted. */
export interface PostHogBatch {
  /** The batch's events, in order. */
  events: PostHogEvent[];
  /** The `sent_at` the client stamped on the batch. */
  sentAt: string | undefined;
  /** Whether the body came gzipped (posthog-node compresses by default). */
  gzip: boolean;
  /** When the batch arrived, in ms since the epoch. */
  receivedAt: number;
}

/** What `posthog-node` needs to talk to the emulator: `new PostHog(apiKey, clientOptions)`. */
export interface PostHogClientOptions {
  /** The emulator's base URL, such as `http://127.0.0.1:54321`. */
  host: string;
}

/** What {@link startPostHogApi} returns: PostHog's capture API (`POST /batch/`) on 127.0.0.1. */
export interface PostHogEmulator extends Emulator {
  /** The project API key the emulator accepts. */
  apiKey: string;
  /** Points `posthog-node` at the emulator: `{ host: url }`. */
  clientOptions: PostHogClientOptions;
  /** Every batch accepted, in order. Refused batches are only in `requests`. */
  batches: PostHogBatch[];
  /** Every event accepted, flattened from `batches`, duplicates included. */
  events: PostHogEvent[];
  /**
   * The events counted once per `uuid` (an event without one counts by itself), in order: what PostHog
   * keeps when its deduplication works. A retried delivery that arrived twice appears once here.
   */
  uniqueEvents(): PostHogEvent[];
  /** How many accepted events repeat an earlier `uuid`: `events.length - uniqueEvents().length`. */
  readonly duplicates: number;
  /**
   * Keep the events of the next `times` accepted batches, then cut the connection instead of
   * answering: the client sees a network error although PostHog has its events, and a retry sends them
   * again (the case the `uuid` is for).
   * @param times - How many batches. @default 1
   */
  dropAfterStoring(times?: number): void;
  /**
   * Hold the next `times` requests open without answering them (the events are not kept), while later
   * requests are answered as usual: one hung request among prompt ones. `reset()` and `close()` cut them.
   * @param times - How many requests. @default 1
   */
  hangNext(times?: number): void;
}
