import { type AuthUser, type Recipe, type RetryOptions, skip } from "@auth-recipes/core";
import {
  type AnalyticsEvent,
  type AnalyticsIntent,
  analyticsMapping,
  checkOptions,
  withRecipeOptions,
} from "@auth-recipes/core/kit";
import type { PostHog } from "posthog-node";
import { deliver, enqueue, type PostHogCall } from "./delivery.ts";
import { eventUuid } from "./uuid.ts";

/**
 * The PostHog event captured for each auth event, keyed by next-auth's event names. To send nothing for
 * an event, leave it out of `on`.
 */
export interface PostHogEventNames {
  /**
   * Captured on `createUser`, beside the `$identify` event that sets the person properties. `false`
   * sets them but captures no sign-up event.
   * @default "user signed up"
   */
  createUser?: string | false;
  /**
   * Captured on `signIn`, with `{ provider, type, isNewUser }`.
   * @default "user signed in"
   */
  signIn?: string;
  /**
   * Captured on `signOut`, for the token's `sub` or the session's user id.
   * @default "user signed out"
   */
  signOut?: string;
  /**
   * Captured on `linkAccount`, with `{ provider }`.
   * @default "account linked"
   */
  linkAccount?: string;
}

/** Options for {@link posthogTracking}. */
export interface PostHogTrackingOptions {
  /**
   * Your `PostHog` client from `posthog-node` (5.x): `new PostHog(key, { host })`. The recipe never shuts
   * it down and never changes its settings.
   */
  posthog: PostHog;
  /**
   * The auth events to send, by next-auth's event names: `createUser` sets the person properties
   * (`$identify`) and `updateUser` updates them (`$set`), the others capture an event. Leave an event
   * out to send nothing for it.
   * @default ["createUser", "updateUser", "signIn", "signOut", "linkAccount"]
   */
  on?: readonly ("createUser" | "updateUser" | "signIn" | "signOut" | "linkAccount")[];
  /**
   * The person properties set (`$set`) on `createUser` and `updateUser`. Return only what you mean to
   * send to PostHog. The option has the Segment recipe's name for the same thing.
   * @default (user) => ({ email, name }), each only when present
   */
  traits?: (user: AuthUser) => Record<string, unknown>;
  /**
   * The PostHog event captured per auth event, keyed by next-auth's event names.
   * @default { createUser: "user signed up", signIn: "user signed in", signOut: "user signed out", linkAccount: "account linked" }
   */
  names?: PostHogEventNames;
  /**
   * Whether a handler waits until PostHog has accepted its events (or their request failed). On, each
   * event goes out at once in a request of its own (`captureImmediate`); keep it on for serverless
   * functions, which may be frozen as soon as the response is sent, and to have failures reach
   * `onError`. Off, the events join the client's queue (`capture`) and the handler returns at once.
   * @default true
   */
  awaitDelivery?: boolean;
  /**
   * Bounds each attempt, in ms; overrides `composeEvents`' `timeoutMs`.
   * @default composeEvents' timeoutMs (10000)
   */
  timeoutMs?: number;
  /**
   * Retry failed attempts; overrides `composeEvents`' `retry`. Network errors, timeouts, 408, 429 and 5xx are retried with the same event uuids; a refused batch never.
   * @default composeEvents' retry (off)
   */
  retry?: boolean | RetryOptions;
}

const PKG = "posthog";
const DEFAULT_NAMES = {
  createUser: "user signed up",
  signIn: "user signed in",
  signOut: "user signed out",
  linkAccount: "account linked",
};
// What each captured event is, in its uuid and in error messages: fixed, so that uuids stay stable.
const TRACKED_AS: Readonly<Record<Exclude<AnalyticsEvent, "updateUser">, string>> = {
  createUser: "sign-up event",
  signIn: "sign-in event",
  signOut: "sign-out event",
  linkAccount: "account-linked event",
};

/** Whether the client sends nothing: made with `disabled: true` (or no key), or opted out. */
function isOff(posthog: PostHog): boolean {
  try {
    const client = posthog as unknown as Record<string, unknown>;
    return client.disabled === true || client.optedOut === true;
  } catch {
    return false;
  }
}

/** A call before its uuid: what it is, and the event PostHog receives. */
type Unsent = Omit<PostHogCall, "uuid">;

/**
 * Sends next-auth's events to PostHog: `createUser` sets the person properties (`$identify` with
 * `$set`) and captures `user signed up`, `updateUser` updates them (`$set`), `signIn` captures
 * `user signed in` with `{ provider, type, isNewUser }`, `signOut` captures `user signed out`,
 * `linkAccount` captures `account linked` with `{ provider }`. The user's database id is the
 * `distinct_id`.
 *
 * Only the fields named here leave the app: an OAuth account's access, refresh and id tokens never do.
 * Each event's `uuid` is derived from the recipe, the dispatch and the call, so a retried attempt or a
 * replayed job sends the same uuids. With `awaitDelivery` (the default) each event goes out at once in a
 * request of its own, so no sign-up waits behind another's request, and a failure reaches `onError`; an
 * event without a user id is skipped.
 *
 * @example
 * ```ts
 * import { PostHog } from "posthog-node";
 *
 * const posthog = new PostHog(process.env.POSTHOG_API_KEY!, { host: "https://eu.i.posthog.com" });
 * export const authOptions = {
 *   adapter,
 *   providers,
 *   events: composeEvents([posthogTracking({ posthog })]),
 * };
 * ```
 */
export function posthogTracking(options: PostHogTrackingOptions): Recipe {
  checkOptions(PKG, "posthogTracking", options, {
    posthog: {
      required: true,
      test: (posthog) =>
        ["capture", "captureImmediate", "on"].every(
          (method) => typeof (posthog as Record<string, unknown>)[method] === "function",
        ),
      is: "a PostHog client from posthog-node",
    },
    on: {},
    traits: "function",
    names: {},
    awaitDelivery: "boolean",
  });
  const mapping = analyticsMapping(PKG, "PostHog", options, DEFAULT_NAMES);
  const { posthog, awaitDelivery = true } = options;

  /** The intent as PostHog has it: identifying is `$identify` for a new user, `$set` after. */
  const unsent = (event: AnalyticsEvent, intent: AnalyticsIntent): Unsent => {
    const distinctId = intent.userId;
    if (intent.kind === "track") {
      const what = TRACKED_AS[event as keyof typeof TRACKED_AS];
      return { what, distinctId, event: intent.event, properties: intent.properties };
    }
    const $set = intent.traits;
    return event === "createUser"
      ? { what: "identify", distinctId, event: "$identify", properties: { $set } }
      : { what: "$set", distinctId, event: "$set", properties: { $set } };
  };

  // Sends the events of one auth event, each with its uuid.
  const events = mapping.events(async (intents, event, context) => {
    // A disabled or opted-out client drops every call without a word: report that, not a delivery.
    if (isOff(posthog)) return skip("the PostHog client is disabled or opted out");
    // Called outside composeEvents there is no dispatch to derive from: uuids are then simply unique.
    const dispatchId = context?.dispatchId ?? crypto.randomUUID();
    const recipe = context?.recipe ?? PKG;
    const calls = await Promise.all(
      intents.map(async (intent) => {
        const call = unsent(event, intent);
        return { ...call, uuid: await eventUuid(recipe, dispatchId, call.what) };
      }),
    );
    if (!awaitDelivery) enqueue(posthog, calls);
    else await deliver(posthog, calls, context?.signal);
    return undefined;
  });
  return withRecipeOptions({ name: PKG, events }, options);
}
