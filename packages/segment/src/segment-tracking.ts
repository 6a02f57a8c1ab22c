import {
  type AuthUser,
  type HandlerContext,
  type Recipe,
  type RecipeEvents,
  type RetryOptions,
  type Skip,
  skip,
} from "@auth-recipes/core";
import {
  checkOptions,
  configError,
  usableEmail,
  usableUserId,
  withRecipeOptions,
} from "@auth-recipes/core/kit";
import type { Analytics } from "@segment/analytics-node";
import { deliver, type SegmentCall, send } from "./delivery.ts";

/** The Segment event name for each auth event; `false` sends nothing for that one. */
export interface SegmentEventNames {
  /**
   * Tracked on `createUser`, after the `identify` call.
   * @default "Signed Up"
   */
  signUp?: string | false;
  /**
   * Tracked on `signIn`, with `{ provider, type, isNewUser }`.
   * @default "Signed In"
   */
  signIn?: string | false;
  /**
   * Tracked on `signOut`, for the token's `sub` or the session's user id.
   * @default "Signed Out"
   */
  signOut?: string | false;
  /**
   * Tracked on `linkAccount`, with `{ provider }`. Not a name from Segment's spec, which has none for it.
   * @default "Account Linked"
   */
  linkAccount?: string | false;
}

/** Options for {@link segmentTracking}. */
export interface SegmentTrackingOptions {
  /**
   * Your `Analytics` client from `@segment/analytics-node` (2.1 or later). The recipe never closes it and
   * never changes its settings.
   */
  analytics: Analytics;
  /**
   * The traits sent with `identify` (on `createUser` and `updateUser`). Return only what you mean to
   * send to Segment.
   * @default (user) => ({ email, name }), each only when present
   */
  traits?: (user: AuthUser) => Record<string, unknown>;
  /**
   * The Segment event name per auth event, or `false` to send none for it. `createUser` and
   * `updateUser` always `identify`.
   * @default { signUp: "Signed Up", signIn: "Signed In", signOut: "Signed Out", linkAccount: "Account Linked" }
   */
  events?: SegmentEventNames;
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
const DEFAULT_NAMES: Required<SegmentEventNames> = {
  signUp: "Signed Up",
  signIn: "Signed In",
  signOut: "Signed Out",
  linkAccount: "Account Linked",
};

/** The fields of next-auth's messages this recipe reads, typed loosely: v4 and v5 shapes both fit. */
interface Loose {
  [field: string]: unknown;
}

function defaultTraits(user: AuthUser): Record<string, unknown> {
  const { email, name } = (user ?? {}) as Loose;
  const traits: Record<string, unknown> = {};
  // An address with invisible or bidi characters is no usable email: it is left out, as a missing one.
  const usable = usableEmail(email);
  if (usable) traits.email = usable;
  if (typeof name === "string" && name) traits.name = name;
  return traits;
}

/** Only the fields that have a value: Segment stores an explicit `null` as a value. */
function present(properties: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(properties).filter(([, value]) => value != null));
}

function eventNames(options: SegmentTrackingOptions): Required<SegmentEventNames> {
  checkOptions(PKG, options, {
    analytics: {
      required: true,
      test: (client) =>
        ["identify", "track", "flush", "on"].every(
          (method) => typeof (client as Loose)[method] === "function",
        ),
      is: "an Analytics client from @segment/analytics-node",
    },
    traits: "function",
    awaitDelivery: "boolean",
    events: "object",
  });
  const { events } = options;
  const names = { ...DEFAULT_NAMES };
  for (const [key, name] of Object.entries(events ?? {})) {
    if (!(key in DEFAULT_NAMES)) {
      throw configError(
        PKG,
        `option "events" has an unknown key "${key}"; the keys are ${Object.keys(DEFAULT_NAMES).join(", ")}`,
      );
    }
    if (name === undefined) continue;
    if (name !== false && (typeof name !== "string" || !name.trim())) {
      throw configError(PKG, `option "events.${key}" must be a non-empty string or false`);
    }
    names[key as keyof SegmentEventNames] = name;
  }
  return names;
}

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
  const names = eventNames(options);
  const { analytics, awaitDelivery = true } = options;
  const traitsOf = options.traits ?? defaultTraits;

  const traits = (user: AuthUser): Record<string, unknown> => {
    const value = traitsOf(user);
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw configError(PKG, 'option "traits" must return an object');
    }
    return value;
  };

  /** Makes the calls of one event, as one delivery. */
  const run = (
    context: HandlerContext | undefined,
    calls: (messageId: (type: SegmentCall["type"]) => string) => SegmentCall[],
  ): Promise<void> | undefined => {
    // Called outside composeEvents there is no dispatch to derive from: ids are then simply unique.
    const dispatchId = context?.dispatchId ?? crypto.randomUUID();
    const prefix = `${context?.recipe ?? "segment"}-${dispatchId}`;
    const made = calls((type) => `${prefix}-${type}`);
    if (!awaitDelivery) {
      send(analytics, made);
      return undefined;
    }
    return deliver(analytics, made, context?.signal);
  };

  const track = (
    context: HandlerContext | undefined,
    userId: string,
    event: string,
    properties: Record<string, unknown>,
  ) =>
    run(context, (messageId) => [
      { type: "track", params: { userId, event, properties, messageId: messageId("track") } },
    ]);

  const noUserId = (): Skip => skip("no user id to send to Segment");

  const events: RecipeEvents = {
    async createUser({ user }, context) {
      const userId = usableUserId((user as Loose | undefined)?.id);
      if (!userId) return noUserId();
      const identified = traits(user);
      await run(context, (messageId) => {
        const calls: SegmentCall[] = [
          {
            type: "identify",
            params: { userId, traits: identified, messageId: messageId("identify") },
          },
        ];
        if (names.signUp !== false) {
          calls.push({
            type: "track",
            params: { userId, event: names.signUp, properties: {}, messageId: messageId("track") },
          });
        }
        return calls;
      });
    },
    async updateUser({ user }, context) {
      const userId = usableUserId((user as Loose | undefined)?.id);
      if (!userId) return noUserId();
      const identified = traits(user);
      await run(context, (messageId) => [
        {
          type: "identify",
          params: { userId, traits: identified, messageId: messageId("identify") },
        },
      ]);
    },
  };
  const { signIn, signOut, linkAccount } = names;
  if (signIn !== false) {
    events.signIn = async ({ user, account, isNewUser }, context) => {
      const userId = usableUserId((user as Loose | undefined)?.id);
      if (!userId) return noUserId();
      // Named fields only: the account also carries the OAuth tokens.
      await track(
        context,
        userId,
        signIn,
        present({ provider: account?.provider, type: account?.type, isNewUser }),
      );
    };
  }
  if (signOut !== false) {
    events.signOut = async (message, context) => {
      const { token, session } = message as { token?: Loose | null; session?: Loose | null };
      const sessionUser = session?.user as Loose | undefined;
      const userId =
        usableUserId(token?.sub) ?? usableUserId(session?.userId) ?? usableUserId(sessionUser?.id);
      if (!userId)
        return skip(
          "no user id in the signOut message (neither a token sub nor a session user id)",
        );
      await track(context, userId, signOut, {});
    };
  }
  if (linkAccount !== false) {
    events.linkAccount = async ({ user, account }, context) => {
      const userId = usableUserId((user as Loose | undefined)?.id) ?? usableUserId(account?.userId);
      if (!userId) return noUserId();
      await track(context, userId, linkAccount, present({ provider: account?.provider }));
    };
  }
  return withRecipeOptions({ name: "segment", events }, options);
}
