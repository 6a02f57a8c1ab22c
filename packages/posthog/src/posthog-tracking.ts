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
import type { PostHog } from "posthog-node";
import { deliver, enqueue, type PostHogCall } from "./delivery.ts";
import { eventUuid } from "./uuid.ts";

/** The PostHog event name for each auth event; `false` sends nothing for that one. */
export interface PostHogEventNames {
  /**
   * Captured on `createUser`, beside the `$identify` event that sets the person properties.
   * @default "user signed up"
   */
  signUp?: string | false;
  /**
   * Captured on `signIn`, with `{ provider, type, isNewUser }`.
   * @default "user signed in"
   */
  signIn?: string | false;
  /**
   * Captured on `signOut`, for the token's `sub` or the session's user id.
   * @default "user signed out"
   */
  signOut?: string | false;
  /**
   * Captured on `linkAccount`, with `{ provider }`.
   * @default "account linked"
   */
  linkAccount?: string | false;
}

/** Options for {@link posthogTracking}. */
export interface PostHogTrackingOptions {
  /**
   * Your `PostHog` client from `posthog-node` (5.x): `new PostHog(key, { host })`. The recipe never shuts
   * it down and never changes its settings.
   */
  posthog: PostHog;
  /**
   * The person properties set (`$set`) on `createUser` and `updateUser`. Return only what you mean to
   * send to PostHog. The option has the Segment recipe's name for the same thing.
   * @default (user) => ({ email, name }), each only when present
   */
  traits?: (user: AuthUser) => Record<string, unknown>;
  /**
   * The PostHog event name per auth event, or `false` to send none for it. `createUser` always sets
   * the person properties (`$identify`), `updateUser` always updates them (`$set`).
   * @default { signUp: "user signed up", signIn: "user signed in", signOut: "user signed out", linkAccount: "account linked" }
   */
  events?: PostHogEventNames;
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
const DEFAULT_NAMES: Required<PostHogEventNames> = {
  signUp: "user signed up",
  signIn: "user signed in",
  signOut: "user signed out",
  linkAccount: "account linked",
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

/** Only the fields that have a value: PostHog stores an explicit `null` as a value. */
function present(properties: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(properties).filter(([, value]) => value != null));
}

function eventNames(options: PostHogTrackingOptions): Required<PostHogEventNames> {
  checkOptions(PKG, options, {
    posthog: {
      required: true,
      test: (client) =>
        ["capture", "captureImmediate", "on"].every(
          (method) => typeof (client as Loose)[method] === "function",
        ),
      is: "a PostHog client from posthog-node",
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
    names[key as keyof PostHogEventNames] = name;
  }
  return names;
}

/** Whether the client sends nothing: made with `disabled: true` (or no key), or opted out. */
function isOff(posthog: PostHog): boolean {
  try {
    const client = posthog as unknown as Loose;
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
  const names = eventNames(options);
  const { posthog, awaitDelivery = true } = options;
  const traitsOf = options.traits ?? defaultTraits;

  const traits = (user: AuthUser): Record<string, unknown> => {
    const value = traitsOf(user);
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw configError(PKG, 'option "traits" must return an object');
    }
    return value;
  };

  /** Sends the events of one auth event, each with its uuid. */
  const run = async (
    context: HandlerContext | undefined,
    unsent: Unsent[],
  ): Promise<Skip | undefined> => {
    // A disabled or opted-out client drops every call without a word: report that, not a delivery.
    if (isOff(posthog)) return skip("the PostHog client is disabled or opted out");
    // Called outside composeEvents there is no dispatch to derive from: uuids are then simply unique.
    const dispatchId = context?.dispatchId ?? crypto.randomUUID();
    const recipe = context?.recipe ?? PKG;
    const calls = await Promise.all(
      unsent.map(async (call) => ({
        ...call,
        uuid: await eventUuid(recipe, dispatchId, call.what),
      })),
    );
    if (!awaitDelivery) enqueue(posthog, calls);
    else await deliver(posthog, calls, context?.signal);
    return undefined;
  };

  const noUserId = (): Skip => skip("no user id to send to PostHog");

  const events: RecipeEvents = {
    async createUser({ user }, context) {
      const distinctId = usableUserId((user as Loose | undefined)?.id);
      if (!distinctId) return noUserId();
      const calls: Unsent[] = [
        { what: "identify", distinctId, event: "$identify", properties: { $set: traits(user) } },
      ];
      if (names.signUp !== false) {
        calls.push({ what: "sign-up event", distinctId, event: names.signUp, properties: {} });
      }
      return run(context, calls);
    },
    async updateUser({ user }, context) {
      const distinctId = usableUserId((user as Loose | undefined)?.id);
      if (!distinctId) return noUserId();
      return run(context, [
        { what: "$set", distinctId, event: "$set", properties: { $set: traits(user) } },
      ]);
    },
  };
  const { signIn, signOut, linkAccount } = names;
  if (signIn !== false) {
    events.signIn = async ({ user, account, isNewUser }, context) => {
      const distinctId = usableUserId((user as Loose | undefined)?.id);
      if (!distinctId) return noUserId();
      // Named fields only: the account also carries the OAuth tokens.
      const properties = present({ provider: account?.provider, type: account?.type, isNewUser });
      return run(context, [{ what: "sign-in event", distinctId, event: signIn, properties }]);
    };
  }
  if (signOut !== false) {
    events.signOut = async (message, context) => {
      const { token, session } = message as { token?: Loose | null; session?: Loose | null };
      const sessionUser = session?.user as Loose | undefined;
      const distinctId =
        usableUserId(token?.sub) ?? usableUserId(session?.userId) ?? usableUserId(sessionUser?.id);
      if (!distinctId) {
        return skip(
          "no user id in the signOut message (neither a token sub nor a session user id)",
        );
      }
      return run(context, [{ what: "sign-out event", distinctId, event: signOut, properties: {} }]);
    };
  }
  if (linkAccount !== false) {
    events.linkAccount = async ({ user, account }, context) => {
      const distinctId =
        usableUserId((user as Loose | undefined)?.id) ?? usableUserId(account?.userId);
      if (!distinctId) return noUserId();
      const properties = present({ provider: account?.provider });
      return run(context, [
        { what: "account-linked event", distinctId, event: linkAccount, properties },
      ]);
    };
  }
  return withRecipeOptions({ name: PKG, events }, options);
}
