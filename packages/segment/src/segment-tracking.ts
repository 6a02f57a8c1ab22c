import type { AuthUser, Recipe, RetryOptions } from "@auth-recipes/core";
import { analyticsMapping, checkOptions, withRecipeOptions } from "@auth-recipes/core/kit";
import type { Analytics } from "@segment/analytics-node";
import { deliver, type SegmentCall, send } from "./delivery.ts";

/**
 * The Segment event tracked for each auth event, keyed by next-auth's event names. To send nothing for
 * an event, leave it out of `on`.
 */
export interface SegmentEventNames {
  /**
   * Tracked on `createUser`, after the `identify` call. `false` identifies the new user but tracks no
   * sign-up event.
   * @default "Signed Up"
   */
  createUser?: string | false;
  /**
   * Tracked on `signIn`, with `{ provider, type, isNewUser }`.
   * @default "Signed In"
   */
  signIn?: string;
  /**
   * Tracked on `signOut`, for the token's `sub` or the session's user id.
   * @default "Signed Out"
   */
  signOut?: string;
  /**
   * Tracked on `linkAccount`, with `{ provider }`. Not a name from Segment's spec, which has none for it.
   * @default "Account Linked"
   */
  linkAccount?: string;
}

/** Options for {@link segmentTracking}. */
export interface SegmentTrackingOptions {
  /**
   * Your `Analytics` client from `@segment/analytics-node` (2.1 or later). The recipe never closes it and
   * never changes its settings.
   */
  analytics: Analytics;
  /**
   * The auth events to send, by next-auth's event names: `createUser` and `updateUser` identify,
   * the others track. Leave an event out to send nothing for it.
   * @default ["createUser", "updateUser", "signIn", "signOut", "linkAccount"]
   */
  on?: readonly ("createUser" | "updateUser" | "signIn" | "signOut" | "linkAccount")[];
  /**
   * The traits sent with `identify` (on `createUser` and `updateUser`). Return only what you mean to
   * send to Segment.
   * @default (user) => ({ email, name }), each only when present
   */
  traits?: (user: AuthUser) => Record<string, unknown>;
  /**
   * The Segment event tracked per auth event, keyed by next-auth's event names.
   * @default { createUser: "Signed Up", signIn: "Signed In", signOut: "Signed Out", linkAccount: "Account Linked" }
   */
  names?: SegmentEventNames;
  /**
   * Whether a handler waits until Segment has accepted its calls (or their delivery finally failed).
   * Keep it on for serverless functions, which may be frozen as soon as the response is sent, and to
   * have delivery failures reach `onError`. Off, the calls join the client's batch and the handler
   * returns at once; failures then only reach the client's `error` event.
   * @default true
   */
  awaitDelivery?: boolean;
  /**
   * Bounds each attempt, in ms; overrides `composeEvents`' `timeoutMs`.
   * @default composeEvents' timeoutMs (10000)
   */
  timeoutMs?: number;
  /**
   * Retry failed attempts; overrides `composeEvents`' `retry`. Network errors, timeouts, 408, 429 and 5xx are retried with the same message ids, so Segment counts each call once; a refused batch never.
   * @default composeEvents' retry (off)
   */
  retry?: boolean | RetryOptions;
}

const PKG = "segment";
const DEFAULT_NAMES = {
  createUser: "Signed Up",
  signIn: "Signed In",
  signOut: "Signed Out",
  linkAccount: "Account Linked",
};

/**
 * Sends next-auth's events to Segment with the B2B SaaS spec's names: `createUser` identifies the user
 * and tracks Signed Up, `updateUser` identifies, `signIn` tracks Signed In with
 * `{ provider, type, isNewUser }`, `signOut` tracks Signed Out, `linkAccount` tracks Account Linked with
 * `{ provider }`. The user's database id is the Segment `userId`.
 *
 * Only the fields named here leave the app: an OAuth account's access, refresh and id tokens never do.
 * Each message id is derived from the dispatch, so a retried handler sends the same ids and Segment
 * counts each message once. With `awaitDelivery` (the default) a handler settles when Segment has
 * accepted its calls, and a failed delivery is reported to `onError`; an event without a user id is
 * skipped.
 *
 * @example
 * ```ts
 * import { Analytics } from "@segment/analytics-node";
 *
 * const analytics = new Analytics({ writeKey: process.env.SEGMENT_WRITE_KEY! });
 * export const authOptions = {
 *   adapter,
 *   providers,
 *   events: composeEvents([segmentTracking({ analytics })]),
 * };
 * ```
 */
export function segmentTracking(options: SegmentTrackingOptions): Recipe {
  checkOptions(PKG, "segmentTracking", options, {
    analytics: {
      required: true,
      test: (analytics) =>
        ["identify", "track", "flush", "on"].every(
          (method) => typeof (analytics as Record<string, unknown>)[method] === "function",
        ),
      is: "an Analytics client from @segment/analytics-node",
    },
    on: {},
    traits: "function",
    names: {},
    awaitDelivery: "boolean",
  });
  const mapping = analyticsMapping(PKG, "Segment", options, DEFAULT_NAMES);
  const { analytics, awaitDelivery = true } = options;

  const events = mapping.events(async (intents, _event, context) => {
    // Called outside composeEvents there is no dispatch to derive from: ids are then simply unique.
    const prefix = `${context?.recipe ?? PKG}-${context?.dispatchId ?? crypto.randomUUID()}`;
    // One call of each type per event, so the type makes each id of the dispatch unique.
    const calls = intents.map(
      (intent): SegmentCall =>
        intent.kind === "identify"
          ? {
              type: "identify",
              params: {
                userId: intent.userId,
                traits: intent.traits,
                messageId: `${prefix}-identify`,
              },
            }
          : {
              type: "track",
              params: {
                userId: intent.userId,
                event: intent.event,
                properties: intent.properties,
                messageId: `${prefix}-track`,
              },
            },
    );
    if (!awaitDelivery) send(analytics, calls);
    else await deliver(analytics, calls, context?.signal);
    return undefined;
  });
  return withRecipeOptions({ name: PKG, events }, options);
}
