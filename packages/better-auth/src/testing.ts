import { composeEvents } from "@auth-recipes/core";
// Types only, from a dev dependency: as a peer, every minor release of `@auth-recipes/testing` would be a
// major one of this package (changesets), and as a dependency every app would install the emulators.
// The declarations import them from it (package.json's tsdown `deps.neverBundle`), whatever was built
// first; whoever runs this host has it installed, to run the suite.
import type { RecipeHost } from "@auth-recipes/testing";
import { type BetterAuthOptions, betterAuth } from "better-auth";
import { memoryAdapter } from "better-auth/adapters/memory";
import { authRecipes } from "./auth-recipes.ts";
import { onlyEvent } from "./only-event.ts";
import { type HostAdapter, type HostApi, type Operation, operationFor } from "./operations.ts";

// The host contract of `@auth-recipes/testing`, whose conformance suite runs the host.
export type { RecipeHost };

/** Options for {@link betterAuthHost}. */
export interface BetterAuthHostOptions {
  /**
   * better-auth options merged into every instance the host makes (not `database`, `plugins` or
   * `socialProviders`, which the host sets).
   * @default {}
   */
  auth?: Omit<Partial<BetterAuthOptions>, "database" | "plugins" | "socialProviders">;
}

const TABLES = ["user", "session", "account", "verification"] as const;

/**
 * A conformance host that runs each event inside a real better-auth instance (its memory adapter, made
 * anew for every dispatch): the message's rows are written through better-auth's internal adapter or
 * its API, so better-auth fires the database hook and `authRecipes` translates what it passes. An OAuth
 * `signIn` goes through `signInSocial` with an id token (the provider's verification stubbed), so the
 * request context tells the plugin the provider and whether the user is new.
 *
 * Only the dispatched event's handlers run (a sign-up under better-auth also fires `createUser`), so the
 * emulator holds that event's effects alone, as it would under next-auth's `dispatchEvent`.
 *
 * @example
 * ```ts
 * import { betterAuthHost } from "@auth-recipes/better-auth/testing";
 *
 * testRecipe({ ...config, host: betterAuthHost() });
 * ```
 */
export function betterAuthHost(options: BetterAuthHostOptions = {}): RecipeHost {
  return {
    name: "better-auth",
    async dispatch(recipes, event, message, composeOptions) {
      // Every configuration error composeEvents would throw, thrown the same way.
      composeEvents(recipes, { ...composeOptions, waitUntil: undefined });
      const operation = operationFor(event, message);
      // The options as given: their onError, onSettled and waitUntil record the dispatch for the suite.
      const plugin = authRecipes(onlyEvent(recipes, event), composeOptions);
      return { durationMs: await run(operation, plugin, options) };
    },
  };
}

async function run(
  operation: Operation,
  plugin: ReturnType<typeof authRecipes>,
  options: BetterAuthHostOptions,
): Promise<number> {
  const db: Record<string, Record<string, unknown>[]> = Object.fromEntries(
    TABLES.map((table) => [table, []]),
  );
  const auth = betterAuth({
    baseURL: "http://127.0.0.1:3000",
    secret: "auth-recipes-conformance-host-secret-0123456789",
    telemetry: { enabled: false },
    logger: { disabled: true },
    ...options.auth,
    database: memoryAdapter(db),
    socialProviders: operation.socialProviders as BetterAuthOptions["socialProviders"],
    advanced: {
      ...options.auth?.advanced,
      // The fixture's ids, so that what reaches the service names the message's user.
      database: { generateId: ({ model }) => operation.idFor(model) ?? crypto.randomUUID() },
    },
    plugins: [plugin],
  });
  const context = await auth.$context;
  for (const [table, rows] of Object.entries(operation.seed)) db[table]?.push(...rows);
  const started = performance.now();
  await operation.perform(
    auth as unknown as HostApi,
    context.internalAdapter as unknown as HostAdapter,
    db,
  );
  return performance.now() - started;
}
