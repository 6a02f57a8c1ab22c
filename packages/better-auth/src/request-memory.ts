import type { AuthAccount, AuthUser } from "@auth-recipes/core";
import { CREDENTIAL_PROVIDER, type Row, toAccount } from "./messages.ts";
import { methodOfRequest, type SignInRoutes } from "./sign-in-routes.ts";

/**
 * What better-auth passes as a hook's second argument: the endpoint context of the request that wrote
 * the row, or `null` for a write made outside a request (a script calling the internal adapter). Only
 * the fields read here are typed.
 */
export interface HookContext {
  path?: string;
  params?: Record<string, unknown> | undefined;
  body?: unknown;
  context?: { internalAdapter?: UserReader } | undefined;
}

/** The part of better-auth's internal adapter the plugin reads, to complete a session's message. */
export interface UserReader {
  findUserById(userId: string): Promise<Row | null>;
  findAccounts(userId: string): Promise<Row[]>;
}

/** What one request created before its session: how a sign-in is known to follow a sign-up. */
interface RequestState {
  users: Map<string, AuthUser>;
  /** The last account (not the credential one) created for each user in this request. */
  accounts: Map<string, Row>;
}

/**
 * Remembers, per request, the users and accounts its hooks saw. Keyed weakly by the endpoint context,
 * which better-auth passes to every hook of one request, so nothing outlives the request.
 */
export class RequestMemory {
  readonly #states = new WeakMap<object, RequestState>();

  /** The state of this request; `undefined` outside a request. */
  of(ctx: HookContext | null | undefined): RequestState | undefined {
    if (typeof ctx !== "object" || ctx === null) return undefined;
    let state = this.#states.get(ctx);
    if (!state) {
      state = { users: new Map(), accounts: new Map() };
      this.#states.set(ctx, state);
    }
    return state;
  }
}

/**
 * The `account` of a `signIn` message: the account this request created for the user, else the one its
 * path (one of `routes`) or body names (read back by provider for its id), else `null` (next-auth's
 * value for a sign-in without one). Never a token: only `toAccount`'s named fields.
 */
export async function signInAccount(
  ctx: HookContext | null,
  state: RequestState | undefined,
  userId: string,
  reader: UserReader | undefined,
  routes: SignInRoutes,
): Promise<AuthAccount | null> {
  const created = state?.accounts.get(userId);
  if (created) return toAccount(created);
  if (!ctx) return null;
  const method = methodOfRequest(routes, ctx);
  if (!method) return null;
  if (method.provider === CREDENTIAL_PROVIDER) {
    return { ...method, providerAccountId: userId, userId };
  }
  try {
    const rows = (await reader?.findAccounts(userId)) ?? [];
    const row = rows.find((account) => account.providerId === method.provider);
    if (row) return toAccount(row);
  } catch {
    // The id is a detail: a sign-in is still reported without it.
  }
  return { ...method, providerAccountId: "", userId };
}
