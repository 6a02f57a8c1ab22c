import {
  type ComposeOptions,
  composeEvents,
  type EventMessages,
  type EventName,
  type RecipeInput,
} from "@auth-recipes/core";
import { configError, refuseDelayed } from "@auth-recipes/core/kit";
import type { BetterAuthOptions, BetterAuthPlugin } from "better-auth";
import {
  CREDENTIAL_PROVIDER,
  linkAccountMessage,
  type Row,
  toSession,
  toUser,
  userById,
} from "./messages.ts";
import {
  type HookContext,
  RequestMemory,
  signInAccount,
  type UserReader,
} from "./request-memory.ts";
import { type SignInRoutes, signInRoutes } from "./sign-in-routes.ts";

/** The plugin {@link authRecipes} returns: better-auth's plugin type, with its id. */
export type AuthRecipesPlugin = BetterAuthPlugin & { id: "auth-recipes" };

/** Options for {@link authRecipes}: `composeEvents`' options, and how sign-ins are recognised. */
export interface AuthRecipesOptions extends ComposeOptions {
  /**
   * Which endpoint paths sign a user in by which method, merged over better-auth's own (`false`
   * removes one): the `account` of the `signIn` message of a session created by a request to that path.
   * A path is better-auth's, without its `basePath`; a prefix ends in `*`. Social and generic OAuth
   * sign-ins need no entry (their provider is in the path or body).
   * @default { "/sign-in/email", "/sign-up/email", "/sign-in/username": { provider: "credential", type: "credentials" }, "/magic-link/*": { provider: "magic-link", type: "email" }, "/sign-in/email-otp": { provider: "email-otp", type: "email" } }
   * @example { "/sign-in/passkey": { provider: "passkey", type: "webauthn" }, "/magic-link/*": false }
   */
  routes?: Record<string, { provider: string; type: string } | false>;
}

/** What one `betterAuth()` instance gives the plugin at `init`: its context and its background runner. */
interface Instance {
  context: { internalAdapter?: unknown } | undefined;
  handOff: ((promise: Promise<unknown>) => unknown) | undefined;
}

type DatabaseHooks = NonNullable<BetterAuthOptions["databaseHooks"]>;
type Deliver = <E extends EventName>(
  event: E,
  message: () => Promise<EventMessages[E]> | EventMessages[E],
) => Promise<void>;

const isRow = (value: unknown): value is Row & { id: unknown } =>
  typeof value === "object" && value !== null && "id" in value;

/**
 * Runs recipes from better-auth's database hooks, with `composeEvents`' semantics: every recipe of an
 * event at once, each attempt bounded by its timeout, retried when asked, and isolated, so nothing a
 * recipe does can fail or stall a sign-up or a sign-in beyond the slowest recipe's timeout.
 *
 * Hooks map to next-auth's events: `user.create.after` → `createUser`, `user.update.after` →
 * `updateUser`, `account.create.after` (but for the email and password `credential` account) →
 * `linkAccount`, `session.create.after` → `signIn`, `session.delete.after` → `signOut`. Only the hooks
 * some recipe needs are registered, and each message is translated into the shape next-auth passes, with
 * no OAuth token, session token or password hash in it. `session` has no better-auth hook and is not run.
 *
 * When the app sets `advanced.backgroundTasks` (or `waitUntil` is given here), the hooks hand the work
 * to it and return at once; a rejection it returns is ignored, never unhandled. One plugin object may go
 * in several `betterAuth()` instances: each one's hooks use its own database and background handler.
 * Configuration errors throw here, as `composeEvents` throws them.
 *
 * @example
 * ```ts
 * export const auth = betterAuth({
 *   database,
 *   emailAndPassword: { enabled: true },
 *   plugins: [authRecipes([welcomeEmail({ transport, from }), stripeCustomer({ stripe })])],
 * });
 * ```
 */
export function authRecipes(
  recipes: readonly RecipeInput[],
  options: AuthRecipesOptions = {},
): AuthRecipesPlugin {
  const { waitUntil, routes: routeOptions, ...composeOptions } = options ?? {};
  if (waitUntil !== undefined && typeof waitUntil !== "function") {
    throw configError("better-auth", 'option "waitUntil" must be a function');
  }
  const routes = signInRoutes(routeOptions);
  // composeEvents validates the recipes and the other options now, at configuration time. The hand-off
  // to waitUntil is done here instead, so that the rows read to complete a message are in it too.
  refuseDelayed(recipes, "better-auth");
  const composed = composeEvents(recipes, composeOptions);
  return {
    id: "auth-recipes",
    // One plugin object can serve several betterAuth() instances: each init gets hooks of its own,
    // bound to that instance's context and background runner, so no instance reads another's adapter.
    init(ctx) {
      const instance: Instance = {
        context: ctx,
        handOff: waitUntil ?? ctx.options.advanced?.backgroundTasks?.handler,
      };
      return { options: { databaseHooks: databaseHooks(composed, routes, instance) } };
    },
  };
}

/** Marks a returned promise (or thenable) handled: a rejecting background runner must not crash the app. */
function ignoreRejection(returned: unknown): void {
  if (typeof returned !== "object" && typeof returned !== "function") return;
  // Promise.resolve adopts a thenable and turns a throwing `then` into a rejection, never a throw.
  Promise.resolve(returned).catch(() => {});
}

/** The database hooks of one betterAuth() instance. */
function databaseHooks(
  composed: ReturnType<typeof composeEvents>,
  routes: SignInRoutes,
  instance: Instance,
): DatabaseHooks {
  const handles = (event: EventName) => typeof composed[event] === "function";
  const memory = new RequestMemory();
  const { handOff } = instance;

  const readerOf = (ctx: HookContext | null): UserReader | undefined =>
    (ctx?.context?.internalAdapter ?? instance.context?.internalAdapter) as UserReader | undefined;

  const findUser = async (userId: string, ctx: HookContext | null) => {
    const known = memory.of(ctx)?.users.get(userId);
    if (known) return known;
    try {
      const row = await readerOf(ctx)?.findUserById(userId);
      if (row) return toUser(row);
    } catch {
      // Recipes that need more than the id skip; a failed read must not lose the event.
    }
    return userById(userId);
  };

  const deliver: Deliver = (event, message) => {
    const callback = composed[event] as ((message: unknown) => Promise<void>) | undefined;
    if (!callback) return Promise.resolve();
    // composed callbacks never reject; the catch covers the translation, so a hook never throws.
    const work = (async () => callback(await message()))().catch(() => {});
    if (handOff) {
      try {
        // Like waitUntil in core: the runner's own rejection (a refused task) is not the app's crash.
        ignoreRejection(handOff(work));
        return Promise.resolve();
      } catch {
        // Outside a request scope some waitUntil implementations throw: wait instead of losing it.
      }
    }
    return work;
  };

  const hooks: DatabaseHooks = {};
  if (handles("createUser") || handles("signIn") || handles("linkAccount")) {
    hooks.user = {
      create: {
        async after(row, ctx) {
          if (!isRow(row)) return;
          const user = toUser(row);
          // Remembered for the session hook that follows in this request: that sign-in is a sign-up.
          memory.of(ctx)?.users.set(String(row.id), user);
          await deliver("createUser", () => ({ user }));
        },
      },
    };
  }
  if (handles("updateUser")) {
    hooks.user = {
      ...hooks.user,
      update: {
        async after(row) {
          // updateMany passes a count, not a row: there is no user to report.
          if (!isRow(row)) return;
          await deliver("updateUser", () => ({ user: toUser(row) }));
        },
      },
    };
  }
  if (handles("linkAccount") || handles("signIn")) {
    hooks.account = {
      create: {
        async after(row, ctx) {
          // Email and password sign-up writes a `credential` account; next-auth links no account then.
          if (!isRow(row) || row.providerId === CREDENTIAL_PROVIDER) return;
          const userId = String(row.userId);
          memory.of(ctx)?.accounts.set(userId, row);
          await deliver("linkAccount", async () =>
            linkAccountMessage(await findUser(userId, ctx), row),
          );
        },
      },
    };
  }
  if (handles("signIn") || handles("signOut")) {
    hooks.session = {};
    if (handles("signIn")) {
      hooks.session.create = {
        async after(row, ctx) {
          if (!isRow(row)) return;
          const userId = String(row.userId);
          const state = memory.of(ctx);
          await deliver("signIn", async () => ({
            user: await findUser(userId, ctx),
            account: await signInAccount(ctx, state, userId, readerOf(ctx), routes),
            // Known only within a request: a user created earlier in it.
            ...(state ? { isNewUser: state.users.has(userId) } : {}),
          }));
        },
      };
    }
    if (handles("signOut")) {
      hooks.session.delete = {
        async after(row) {
          if (!isRow(row)) return;
          await deliver("signOut", () => ({ session: toSession(row) }));
        },
      };
    }
  }
  return hooks;
}
