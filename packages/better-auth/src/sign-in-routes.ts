import { configError } from "@auth-recipes/core/kit";
import { CREDENTIAL_PROVIDER, type Row } from "./messages.ts";

/** What a `signIn` message's `account` says of how the user signed in. */
export interface SignInMethod {
  /** The account's `provider`, such as `"credential"`, `"magic-link"` or a custom plugin's name. */
  provider: string;
  /** The account's `type`, as next-auth names them: `"credentials"`, `"email"`, `"oauth"`, … */
  type: string;
}

/**
 * Which endpoint path signs a user in by which method: a path (`"/sign-in/email"`), or a prefix ending in
 * `*` (`"/magic-link/*"`). A session created by a request to one of these paths is reported as a sign-in
 * with that `account`. Paths are better-auth's, without its `basePath` (`/api/auth`).
 */
export type SignInRoutes = Readonly<Record<string, SignInMethod>>;

/**
 * better-auth's own sign-in endpoints. A social or generic OAuth sign-in needs no entry: its provider is
 * read from the path's `:id`/`:providerId` or the body's `provider`.
 */
export const DEFAULT_SIGN_IN_ROUTES: SignInRoutes = {
  "/sign-in/email": { provider: CREDENTIAL_PROVIDER, type: "credentials" },
  "/sign-up/email": { provider: CREDENTIAL_PROVIDER, type: "credentials" },
  "/sign-in/username": { provider: CREDENTIAL_PROVIDER, type: "credentials" },
  "/magic-link/*": { provider: "magic-link", type: "email" },
  "/sign-in/email-otp": { provider: "email-otp", type: "email" },
};

const nonEmpty = (value: unknown): value is string => typeof value === "string" && value !== "";

/**
 * The default routes with `overrides` over them, checked: a path must start with `/`, and each method
 * needs a non-empty `provider` and `type`; `false` removes a default route. Throws a `TypeError` naming
 * the package and the option.
 */
export function signInRoutes(overrides: unknown): SignInRoutes {
  if (overrides === undefined) return DEFAULT_SIGN_IN_ROUTES;
  if (typeof overrides !== "object" || overrides === null || Array.isArray(overrides)) {
    throw configError("better-auth", 'option "routes" must be an object of paths');
  }
  const routes: Record<string, SignInMethod> = { ...DEFAULT_SIGN_IN_ROUTES };
  for (const [path, method] of Object.entries(overrides)) {
    if (!path.startsWith("/")) {
      throw configError("better-auth", `option "routes" has a path that does not start with "/"`);
    }
    if (method === false) {
      delete routes[path];
      continue;
    }
    const { provider, type } = (method ?? {}) as Partial<SignInMethod>;
    if (!nonEmpty(provider) || !nonEmpty(type)) {
      throw configError(
        "better-auth",
        `option "routes" needs { provider, type } (non-empty strings) or false for each path`,
      );
    }
    routes[path] = { provider, type };
  }
  return routes;
}

function routeOf(routes: SignInRoutes, path: string): SignInMethod | undefined {
  const exact = Object.hasOwn(routes, path) ? routes[path] : undefined;
  if (exact) return exact;
  for (const [route, method] of Object.entries(routes)) {
    if (route.endsWith("*") && path.startsWith(route.slice(0, -1))) return method;
  }
  return undefined;
}

/**
 * The method a session was created through, read from the request: one of `routes`, else a social or
 * generic OAuth provider named in the path (`/callback/:id`, `/oauth2/callback/:providerId`) or the
 * body (`/sign-in/social` with an id token).
 */
export function methodOfRequest(
  routes: SignInRoutes,
  ctx: { path?: string; params?: Record<string, unknown> | undefined; body?: unknown },
): SignInMethod | undefined {
  const routed = routeOf(routes, typeof ctx.path === "string" ? ctx.path : "");
  if (routed) return routed;
  const params = ctx.params ?? {};
  const body = (typeof ctx.body === "object" && ctx.body !== null ? ctx.body : {}) as Row;
  const provider = [params.id, params.providerId, body.provider].find(nonEmpty);
  return provider ? { provider, type: "oauth" } : undefined;
}
