// What an analytics recipe (Segment, PostHog, …) makes of an auth event, whatever its SDK: whom to
// identify with which traits, what to track with which properties, or why nothing. Each recipe keeps
// only its SDK's call shapes and its delivery, so the recipes cannot drift apart on who a user is, what
// leaves the app or how `on` and `names` are read.
import { configError } from "../config-error.ts";
import type { AuthUser } from "../events.ts";
import type { HandlerContext, RecipeEvents } from "../recipe.ts";
import { isSkip, type Skip, skip } from "../skip.ts";
import { chosenEvents } from "./events-option.ts";
import { usableEmail, usableUserId } from "./identity.ts";

/** The auth events an analytics recipe handles: every next-auth event but `session`. */
export type AnalyticsEvent = "createUser" | "updateUser" | "signIn" | "signOut" | "linkAccount";

/** The auth events that track an event of their own; `updateUser` only identifies. */
export type TrackedEvent = Exclude<AnalyticsEvent, "updateUser">;

/** Every {@link AnalyticsEvent}, in next-auth's order: an analytics recipe's default `on`. */
export const ANALYTICS_EVENTS: readonly AnalyticsEvent[] = [
  "createUser",
  "updateUser",
  "signIn",
  "signOut",
  "linkAccount",
];

const TRACKED: readonly TrackedEvent[] = ["createUser", "signIn", "signOut", "linkAccount"];

/**
 * The tracked event's name per auth event, keyed by next-auth's event names. `createUser: false`
 * identifies the new user but tracks no sign-up event; to send nothing for an event, leave it out of `on`.
 */
export interface AnalyticsEventNames {
  createUser?: string | false;
  signIn?: string;
  signOut?: string;
  linkAccount?: string;
}

/** The options {@link analyticsMapping} reads, as the user gave them (checked here). */
export interface AnalyticsMappingOptions {
  /** The auth events to handle. @default {@link ANALYTICS_EVENTS} */
  on?: unknown;
  /** Names over the recipe's defaults. @default the recipe's defaults */
  names?: unknown;
  /** The traits sent when identifying. @default {@link defaultTraits} */
  traits?: ((user: AuthUser) => Record<string, unknown>) | undefined;
}

/** One call an analytics recipe makes, in no SDK's shape. */
export type AnalyticsIntent =
  | {
      kind: "identify";
      /** The user's database id, already checked with `usableUserId`. */
      userId: string;
      traits: Record<string, unknown>;
    }
  | {
      kind: "track";
      userId: string;
      /** The tracked event's name, from `names`. */
      event: string;
      /** Only fields with a value: analytics services store an explicit `null` as a value. */
      properties: Record<string, unknown>;
    };

/** An analytics recipe's reading of its options: the events it handles, and what each one sends. */
export interface AnalyticsMapping {
  /** The events chosen with `on`, each once. */
  readonly on: readonly AnalyticsEvent[];
  /** The calls to make for `event`'s `message`, in order, or why none (no usable user id). */
  intents(event: AnalyticsEvent, message: unknown): AnalyticsIntent[] | Skip;
  /**
   * The recipe's handlers: one per event in `on`, each mapping its message with `intents` and handing
   * the calls to `send` (the recipe's SDK shapes and delivery), or returning the skip. `context` is
   * `undefined` when a handler is called outside `composeEvents`.
   */
  events(
    send: (
      intents: AnalyticsIntent[],
      event: AnalyticsEvent,
      context: HandlerContext | undefined,
    ) => Promise<Skip | undefined>,
  ): RecipeEvents;
}

/** The fields of next-auth's messages read here, typed loosely: v4 and v5 shapes both fit. */
interface Loose {
  [field: string]: unknown;
}

function loose(value: unknown): Loose | undefined {
  return typeof value === "object" && value !== null ? (value as Loose) : undefined;
}

/**
 * The traits an analytics recipe identifies a user with unless told otherwise: `{ email, name }`, each
 * only when present. An address with invisible or bidi characters is no usable email: left out, as a
 * missing one.
 *
 * @example
 * ```ts
 * segmentTracking({ analytics, traits: (user) => ({ ...defaultTraits(user), plan: "free" }) });
 * ```
 */
export function defaultTraits(user: AuthUser): Record<string, unknown> {
  const { email, name } = loose(user) ?? {};
  const traits: Record<string, unknown> = {};
  const usable = usableEmail(email);
  if (usable) traits.email = usable;
  if (typeof name === "string" && name) traits.name = name;
  return traits;
}

/** Only the fields that have a value. */
function present(properties: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(properties).filter(([, value]) => value != null));
}

/** `defaults` with the user's `names` over them, each checked. */
function namesOf(
  pkg: string,
  names: unknown,
  defaults: Readonly<Record<TrackedEvent, string>>,
): Record<TrackedEvent, string | false> {
  const chosen: Record<TrackedEvent, string | false> = { ...defaults };
  if (names === undefined) return chosen;
  if (typeof names !== "object" || names === null) {
    throw configError(pkg, 'option "names" must be an object');
  }
  for (const [key, name] of Object.entries(names)) {
    if (!(TRACKED as readonly string[]).includes(key)) {
      throw configError(
        pkg,
        `option "names" has an unknown key ${JSON.stringify(key.slice(0, 64))}; the keys are ${TRACKED.join(", ")}`,
      );
    }
    if (name === undefined) continue;
    if (typeof name === "string" && name.trim()) {
      chosen[key as TrackedEvent] = name;
    } else if (key === "createUser") {
      // The one event whose handler does more than track: false keeps the identify call.
      if (name !== false) {
        throw configError(pkg, 'option "names.createUser" must be a non-empty string or false');
      }
      chosen.createUser = false;
    } else {
      throw configError(
        pkg,
        `option "names.${key}" must be a non-empty string; to send nothing on ${key}, leave it out of "on"`,
      );
    }
  }
  return chosen;
}

/**
 * Reads an analytics recipe's `on`, `names` and `traits` (at construction: mistakes throw `TypeError`s
 * naming `pkg` and the option) and returns its mapping of auth events to SDK-neutral calls:
 *
 * - `createUser`: identify the user with `traits(user)`, then track `names.createUser` (unless `false`);
 * - `updateUser`: identify;
 * - `signIn`: track `names.signIn` with `{ provider, type, isNewUser }`;
 * - `signOut`: track `names.signOut`, for the token's `sub` or the session's user id;
 * - `linkAccount`: track `names.linkAccount` with `{ provider }`.
 *
 * The user id is the user's database id (`usableUserId`); without one the event is skipped with
 * `no user id to send to <service>`. Only the fields named here leave the app: an OAuth account's
 * tokens never do. A `traits` that returns no object fails the event (`option "traits" must return an
 * object`).
 *
 * @example
 * ```ts
 * const mapping = analyticsMapping("segment", "Segment", options, {
 *   createUser: "Signed Up", signIn: "Signed In", signOut: "Signed Out", linkAccount: "Account Linked",
 * });
 * for (const event of mapping.on) events[event] = (message) => send(mapping.intents(event, message));
 * ```
 */
export function analyticsMapping(
  pkg: string,
  service: string,
  options: AnalyticsMappingOptions,
  defaults: Readonly<Record<TrackedEvent, string>>,
): AnalyticsMapping {
  const on = chosenEvents(pkg, options.on, ANALYTICS_EVENTS);
  const names = namesOf(pkg, options.names, defaults);
  const traitsOf = options.traits ?? defaultTraits;
  const noUserId = (): Skip => skip(`no user id to send to ${service}`);

  const identify = (userId: string, user: AuthUser): AnalyticsIntent => {
    const traits = traitsOf(user);
    if (typeof traits !== "object" || traits === null || Array.isArray(traits)) {
      throw configError(pkg, 'option "traits" must return an object');
    }
    return { kind: "identify", userId, traits };
  };
  const track = (
    userId: string,
    event: string | false,
    properties: Record<string, unknown> = {},
  ): AnalyticsIntent[] => (event === false ? [] : [{ kind: "track", userId, event, properties }]);

  return {
    on,
    events(send) {
      const events: RecipeEvents = {};
      for (const event of on) {
        (events as Record<string, unknown>)[event] = async (
          message: unknown,
          context?: HandlerContext,
        ) => {
          const intents = this.intents(event, message);
          return isSkip(intents) ? intents : send(intents, event, context);
        };
      }
      return events;
    },
    intents(event, message) {
      const { user, account, isNewUser, token, session } = loose(message) ?? {};
      const fields = loose(user);
      switch (event) {
        case "createUser":
        case "updateUser": {
          const userId = usableUserId(fields?.id);
          if (!userId) return noUserId();
          const identified = identify(userId, user as AuthUser);
          return event === "createUser"
            ? [identified, ...track(userId, names.createUser)]
            : [identified];
        }
        case "signIn": {
          const userId = usableUserId(fields?.id);
          if (!userId) return noUserId();
          const { provider, type } = loose(account) ?? {};
          // Named fields only: the account also carries the OAuth tokens.
          return track(userId, names.signIn, present({ provider, type, isNewUser }));
        }
        case "signOut": {
          const sessionFields = loose(session);
          const userId =
            usableUserId(loose(token)?.sub) ??
            usableUserId(sessionFields?.userId) ??
            usableUserId(loose(sessionFields?.user)?.id);
          if (!userId) {
            return skip(
              "no user id in the signOut message (neither a token sub nor a session user id)",
            );
          }
          return track(userId, names.signOut);
        }
        case "linkAccount": {
          const accountFields = loose(account);
          const userId = usableUserId(fields?.id) ?? usableUserId(accountFields?.userId);
          if (!userId) return noUserId();
          return track(userId, names.linkAccount, present({ provider: accountFields?.provider }));
        }
      }
    },
  };
}
