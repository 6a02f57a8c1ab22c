import { createHash } from "node:crypto";
import type { DispatchReport, RecipeError, RecipeInput } from "@auth-recipes/core";
import { type BetterAuthOptions, betterAuth } from "better-auth";
import { memoryAdapter } from "better-auth/adapters/memory";
import { getMigrations } from "better-auth/db/migration";
import Database from "better-sqlite3";
import { type AuthRecipesOptions, type AuthRecipesPlugin, authRecipes } from "../src/index.ts";

export const PASSWORD = "correct horse battery staple";
export const ORIGIN = "http://127.0.0.1:3000";

/**
 * A social provider that needs no network: better-auth's id-token sign-in with the verification and
 * the user info supplied here, so `signInSocial` and `linkSocialAccount` run their real code paths
 * (user, account and session writes, account linking) for a token named after the user.
 */
function localProvider(id: string) {
  return {
    clientId: `${id}-client`,
    clientSecret: `${id}-secret`,
    verifyIdToken: async () => true,
    getUserInfo: async (tokens: { idToken?: string | undefined }) => {
      const who = tokens.idToken ?? "nobody";
      return {
        user: {
          email: `${who}@example.test`,
          name: `${who[0]?.toUpperCase()}${who.slice(1)} Social`,
          image: `https://avatars.example.test/${who}.png`,
          emailVerified: true,
        },
        // GitHub's profile has some 40 fields; its `id` is the one the account key is made of.
        data: { id: `${id}-${who}` } as never,
      };
    },
  };
}

export interface AppOptions {
  recipes: readonly RecipeInput[];
  compose?: AuthRecipesOptions;
  /** `"sqlite"`: better-sqlite3 in memory, migrated by better-auth; `"memory"`: its memory adapter. */
  database?: "sqlite" | "memory";
  auth?: Partial<BetterAuthOptions>;
}

export interface App {
  auth: ReturnType<typeof betterAuth>;
  /** The plugin as registered, to call its hooks again as better-auth would. */
  plugin: AuthRecipesPlugin;
  reports: DispatchReport[];
  errors: RecipeError[];
  /** Signs up by email and password; returns the new user's id and a cookie header for its session. */
  signUp(email: string, name?: string): Promise<{ userId: string; headers: Headers }>;
  /** Signs in by email and password; returns a cookie header for the new session. */
  signIn(email: string): Promise<Headers>;
  /** Signs in (or up) through the local `github` provider with an id token named `who`. */
  signInSocial(who: string): Promise<{ userId: string; headers: Headers }>;
  close(): void;
}

const cookieOf = (headers: Headers): Headers => {
  const cookie = headers.get("set-cookie")?.split(";")[0];
  if (!cookie) throw new Error("no session cookie");
  return new Headers({ cookie });
};

/** A real better-auth instance with the recipes plugged in and every dispatch recorded. */
export async function startApp(options: AppOptions): Promise<App> {
  const reports: DispatchReport[] = [];
  const errors: RecipeError[] = [];
  const sqlite = options.database === "memory" ? undefined : new Database(":memory:");
  const plugin = authRecipes(options.recipes, {
    ...options.compose,
    onError: (error) => {
      errors.push(error);
      return options.compose?.onError?.(error);
    },
    onSettled: (report) => {
      reports.push(report);
      return options.compose?.onSettled?.(report);
    },
  });
  const config = {
    baseURL: ORIGIN,
    secret: "better-auth-test-secret-6f1c0e9a4b7d2358a1e0c9f4",
    database: sqlite ?? memoryAdapter({ user: [], session: [], account: [], verification: [] }),
    // scrypt takes a second per sign-up on a busy machine: the tests time the hooks, not the hash.
    emailAndPassword: {
      enabled: true,
      password: {
        hash: async (password: string) => createHash("sha256").update(password).digest("hex"),
        verify: async ({ hash, password }: { hash: string; password: string }) =>
          createHash("sha256").update(password).digest("hex") === hash,
      },
    },
    account: { accountLinking: { enabled: true, trustedProviders: ["github"] } },
    socialProviders: { github: localProvider("github") },
    telemetry: { enabled: false },
    logger: { level: "error" as const },
    ...options.auth,
    plugins: [plugin, ...(options.auth?.plugins ?? [])],
  } satisfies BetterAuthOptions;
  if (sqlite) await (await getMigrations(config)).runMigrations();
  const auth = betterAuth(config) as unknown as ReturnType<typeof betterAuth>;
  return {
    auth,
    plugin,
    reports,
    errors,
    async signUp(email, name = "Alice Liddell") {
      const { response, headers } = await auth.api.signUpEmail({
        body: { email, password: PASSWORD, name },
        returnHeaders: true,
      });
      return { userId: response.user.id, headers: cookieOf(headers) };
    },
    async signIn(email) {
      const { headers } = await auth.api.signInEmail({
        body: { email, password: PASSWORD },
        returnHeaders: true,
      });
      return cookieOf(headers);
    },
    async signInSocial(who) {
      const { response, headers } = await auth.api.signInSocial({
        body: {
          provider: "github",
          idToken: { token: who, accessToken: `gho_fixture-access-token-${who}` },
        },
        returnHeaders: true,
      });
      const user = (response as { user?: { id: string } }).user;
      if (!user) throw new Error("the social sign-in made no session");
      return { userId: user.id, headers: cookieOf(headers) };
    },
    close() {
      sqlite?.close();
    },
  };
}

/** Waits until `count` dispatches were reported (with background tasks they settle after the call). */
export async function reported(app: App, count: number, withinMs = 5_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (app.reports.length < count) {
    if (Date.now() > deadline) {
      throw new Error(`${app.reports.length} dispatch(es) reported, expected ${count}`);
    }
    await new Promise((wake) => setTimeout(wake, 10));
  }
}
