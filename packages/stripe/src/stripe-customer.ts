import type {
  AuthUser,
  Awaitable,
  HandlerContext,
  Recipe,
  RetryOptions,
  Skip,
} from "@auth-recipes/core";
import { skip } from "@auth-recipes/core";
import {
  checkOptions,
  chosenEvents,
  configError,
  prefixed,
  usableEmail,
  usableUserId,
  withRecipeOptions,
} from "@auth-recipes/core/kit";
import type Stripe from "stripe";
import { customerName } from "./customer-fields.ts";
import {
  clientSecrets,
  isIdempotencyError,
  isKeyInUse,
  isMissing,
  StripeCustomerError,
  toStripeCustomerError,
} from "./errors.ts";
import { searchValue } from "./escape.ts";
import { idempotencyKey } from "./idempotency-key.ts";

/** What {@link StripeCustomerOptions.onCustomerCreated} receives. */
export interface CustomerCreatedInfo {
  /** The user next-auth created. */
  user: AuthUser;
  /** The user's Stripe customer, its `metadata.userId` set to the user's id. */
  customer: Stripe.Customer;
  /**
   * True when the customer existed before this createUser: found by email (a customer no other user
   * owned), or this user's from an earlier createUser. False when this createUser made it, also when an
   * earlier attempt of it did and only that attempt's answer was lost (in this process), and when it
   * waited for a concurrent createUser for the same user to make it.
   */
  reused: boolean;
}

/** The auth events {@link stripeCustomer} can handle. */
export type StripeCustomerEvent = "createUser" | "updateUser";

/** Options for {@link stripeCustomer}. */
export interface StripeCustomerOptions {
  /**
   * The Stripe client: `new Stripe(process.env.STRIPE_SECRET_KEY)`. Its `timeout` and
   * `maxNetworkRetries` are overridden per request: each request gets the time left until the handler's
   * deadline and no retry of its own, because a retry is core's job (`retry` on `composeEvents`), and
   * every retry reuses the customer's idempotency key.
   */
  stripe: Stripe;
  /**
   * The auth events to handle, by next-auth's event names: `createUser` finds or creates the user's
   * customer, `updateUser` brings its email and name up to date (only the fields that changed are sent,
   * a field the user no longer has is never cleared). `["createUser"]` leaves the customer as sign-up
   * made it. `["updateUser"]` alone only syncs customers made elsewhere (found by
   * `getCustomerId`, or by `metadata.userId` as below), and never creates one.
   * @default ["createUser", "updateUser"]
   */
  on?: readonly StripeCustomerEvent[];
  /**
   * On createUser, look for a customer with the user's email (`customers.list`, which is consistent) and
   * reuse it when its `metadata.userId` is empty (then set to the user's id) or already the user's.
   * A customer owned by another user is never reused.
   * @default true
   */
  reuseExisting?: boolean;
  /**
   * Extra parameters for `customers.create` (`description`, `preferred_locales`, `address`, …), merged
   * over `{ email, name }`. It may set `email` and `name` (on updateUser, only those two are read);
   * `metadata` is merged, and `metadata.userId` is always the user's id.
   * Keep it deterministic: the idempotency key covers the parameters, so a value that changes from one
   * call to the next (a timestamp) turns a retry into an idempotency error, which the recipe then
   * resolves by looking the customer up.
   */
  customerParams?: (user: AuthUser) => Awaitable<Partial<Stripe.CustomerCreateParams>>;
  /**
   * Called once the user has a customer, created or reused: store `customer.id` on the user's row here.
   * When it throws, the handler fails, and a retry (with `retry` on) finds or replays the same customer
   * and calls it again, so make it idempotent (an UPDATE of one column is).
   */
  onCustomerCreated?: (info: CustomerCreatedInfo) => Awaitable<void>;
  /**
   * How to find an existing user's customer id, usually the column `onCustomerCreated` wrote. When given,
   * it is trusted: createUser does nothing for a user who has an id, and updateUser syncs the customer it
   * names (or nothing). Without it, the recipe looks the customer up by `metadata['userId']` (a list by
   * email first, then a search, which can lag a minute behind writes, then a list of the customers
   * created in the last 15 minutes, for one the search has not indexed yet).
   */
  getCustomerId?: (user: AuthUser) => Awaitable<string | null | undefined>;
  /**
   * Bounds each attempt, in ms; overrides `composeEvents`' `timeoutMs`.
   * @default composeEvents' timeoutMs (10000)
   */
  timeoutMs?: number;
  /**
   * Retry failed attempts; overrides `composeEvents`' `retry`. Connection errors, timeouts, 409, 429 (after its `Retry-After`) and 5xx are retried, under the same idempotency key; invalid requests never.
   * @default composeEvents' retry (off)
   */
  retry?: boolean | RetryOptions;
}

const PKG = "stripe";
const EVENTS: readonly StripeCustomerEvent[] = ["createUser", "updateUser"];

/** Validates the options once, at construction; returns the events to handle. */
function checkStripeOptions(options: StripeCustomerOptions): readonly StripeCustomerEvent[] {
  checkOptions(PKG, "stripeCustomer", options, {
    stripe: { required: true },
    on: {},
    customerParams: "function",
    onCustomerCreated: "function",
    getCustomerId: "function",
    reuseExisting: "boolean",
  });
  const { stripe } = options;
  const customers = (stripe as unknown as { customers?: Record<string, unknown> }).customers;
  for (const method of ["create", "list", "retrieve", "update", "search"]) {
    if (typeof customers?.[method] !== "function") {
      throw configError(
        PKG,
        `option "stripe" must be a Stripe client (new Stripe(secretKey)): it has no customers.${method}()`,
      );
    }
  }
  // updateUser without createUser is allowed: it looks the customer up (getCustomerId or metadata), so
  // it syncs customers made elsewhere, and does nothing for a user who has none.
  return chosenEvents(PKG, options.on, EVENTS);
}

type Call = <T>(
  action: string,
  run: (options: Stripe.RequestOptions) => Promise<T>,
  idempotencyKey?: string,
) => Promise<T>;

/**
 * Runs Stripe calls within one attempt's deadline: each request's timeout is the time left, and once the
 * deadline has passed (core has given up on this attempt and may be running the next) no request starts.
 */
function caller(context: HandlerContext, secrets: readonly string[]): Call {
  return async (action, run, key) => {
    const left = context.deadline - Date.now();
    if (left <= 0) {
      const error = new Error(
        prefixed(PKG, `${action} not sent: the attempt's deadline has passed`),
      );
      error.name = "TimeoutError";
      throw error;
    }
    const options: Stripe.RequestOptions = { maxNetworkRetries: 0 };
    // The SDK takes whole, positive milliseconds; 0 would mean its default of 80 s.
    if (Number.isFinite(left)) options.timeout = Math.max(1, Math.floor(left));
    if (key) options.idempotencyKey = key;
    try {
      return await run(options);
    } catch (error) {
      throw toStripeCustomerError(error, action, secrets);
    }
  };
}

// How often a create whose idempotency key is in use (a concurrent createUser for the same user) asks
// again; Stripe answers with the first request's result once that is done.
const IN_USE_POLL_MS = 50;
// How far back updateUser reads the customers list for one that search has not indexed yet: Stripe's
// index lags under a minute normally, more during incidents. Bounded, with pages of 100.
const RECENT_WINDOW_S = 15 * 60;
const RECENT_PAGES = 5;
// Dispatches whose createUser sent customers.create, so that a retry finding the customer knows it made
// it. Bounded: a dispatch that never settles is forgotten after this many others.
const MAX_REMEMBERED = 1000;

function userIdOf(user: AuthUser | null | undefined): string | undefined {
  return usableUserId((user as { id?: unknown } | null | undefined)?.id);
}

/**
 * Finds or creates one Stripe customer per next-auth user, and keeps its email and name in sync.
 *
 * On `createUser` it reuses a customer with the user's email that no other user owns (found with
 * `customers.list`, which is consistent: `customers.search` can lag a minute behind writes, so a
 * customer made moments ago, by a retry or a second sign-up tab, would be missed and made twice), or
 * creates `{ email, name, metadata: { userId } }` under an idempotency key derived from the user id, so
 * retries and a repeated createUser never make a second customer. Then `onCustomerCreated` stores the id.
 * On `updateUser` it sends only the email and name that changed.
 *
 * Connection errors, timeouts, 409, 429 and 5xx are thrown as retryable {@link StripeCustomerError}s;
 * invalid requests, authentication and idempotency errors as not retryable. No message holds the secret
 * key or an email address.
 *
 * @example
 * ```ts
 * const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
 * export const authOptions: NextAuthOptions = {
 *   adapter,
 *   providers,
 *   events: composeEvents(
 *     [
 *       stripeCustomer({
 *         stripe,
 *         onCustomerCreated: ({ user, customer }) =>
 *           db.update(users).set({ stripeCustomerId: customer.id }).where(eq(users.id, user.id!)),
 *         getCustomerId: async (user) =>
 *           (await db.query.users.findFirst({ where: eq(users.id, user.id!) }))?.stripeCustomerId,
 *       }),
 *     ],
 *     { retry: true },
 *   ),
 * };
 * ```
 */
export function stripeCustomer(options: StripeCustomerOptions): Recipe {
  const on = checkStripeOptions(options);
  const {
    stripe,
    reuseExisting = true,
    customerParams,
    onCustomerCreated,
    getCustomerId,
  } = options;
  // Read once: the client's key, removed from every error message (see clientSecrets).
  const secrets = clientSecrets(stripe);

  /** The customer this user should have: `{ email, name }`, then customerParams, then the user id. */
  async function wanted(user: AuthUser, userId: string): Promise<Stripe.CustomerCreateParams> {
    const params: Stripe.CustomerCreateParams = {};
    const email = usableEmail(user.email);
    if (email) params.email = email;
    const name = customerName(user.name);
    if (name) params.name = name;
    const custom = customerParams ? await customerParams(user) : undefined;
    if (custom !== undefined && (typeof custom !== "object" || custom === null)) {
      const error = configError(PKG, 'option "customerParams" must return an object');
      throw Object.assign(error, { retryable: false });
    }
    const metadata = custom?.metadata && typeof custom.metadata === "object" ? custom.metadata : {};
    return { ...params, ...custom, metadata: { ...metadata, userId } };
  }

  /** Customers with this email, as `customers.list` matches it: exactly, case included. */
  async function listByEmail(call: Call, email: string): Promise<Stripe.Customer[]> {
    const emails = [...new Set([email, email.toLowerCase()])];
    const found: Stripe.Customer[] = [];
    for (const address of emails) {
      const page = await call("customers.list", (o) =>
        stripe.customers.list({ email: address, limit: 100 }, o),
      );
      found.push(...page.data);
    }
    return found;
  }

  /** This user's customer: by email when there is one (consistent), else by a metadata search. */
  async function findOwn(
    call: Call,
    userId: string,
    email: string | undefined,
  ): Promise<Stripe.Customer | undefined> {
    if (email) {
      const own = (await listByEmail(call, email)).find((c) => c.metadata?.userId === userId);
      if (own) return own;
    }
    const result = await call("customers.search", (o) =>
      stripe.customers.search({ query: `metadata['userId']:${searchValue(userId)}`, limit: 10 }, o),
    );
    return result.data.find((c) => c.metadata?.userId === userId);
  }

  /**
   * This user's customer among those created in the last {@link RECENT_WINDOW_S} seconds, read with
   * `customers.list` (consistent), for a customer that search has not indexed yet: the one an updateUser
   * right after sign-up looks for. `undefined` when none of them is the user's; a retryable error when
   * there are more than the bounded scan reads, since then it cannot tell.
   */
  async function findRecent(call: Call, userId: string): Promise<Stripe.Customer | undefined> {
    const since = Math.floor(Date.now() / 1000) - RECENT_WINDOW_S;
    let after: string | undefined;
    for (let page = 0; page < RECENT_PAGES; page++) {
      const listed = await call("customers.list", (o) =>
        stripe.customers.list(
          { created: { gte: since }, limit: 100, ...(after ? { starting_after: after } : {}) },
          o,
        ),
      );
      const own = listed.data.find((c) => c.metadata?.userId === userId);
      if (own) return own;
      if (!listed.has_more || listed.data.length === 0) return undefined;
      after = listed.data[listed.data.length - 1]!.id;
    }
    throw new StripeCustomerError(
      `updateUser: the user's customer is not found by search, which can lag behind a recent sign-up, and too many customers were created since to read them all; set getCustomerId to find it at once`,
      { retryable: true },
    );
  }

  /** Dispatches (by id) that sent customers.create for their user. */
  const creating = new Set<string>();

  async function create(
    call: Call,
    params: Stripe.CustomerCreateParams,
    userId: string,
    context: HandlerContext,
  ): Promise<Stripe.Customer> {
    const key = await idempotencyKey(userId);
    if (creating.size >= MAX_REMEMBERED) creating.delete(creating.values().next().value!);
    creating.add(context.dispatchId);
    try {
      for (let wait = IN_USE_POLL_MS; ; wait = Math.min(wait * 2, 500)) {
        try {
          return await call("customers.create", (o) => stripe.customers.create(params, o), key);
        } catch (error) {
          // The other createUser's request is still going through: its answer is ours too, once done.
          if (!isKeyInUse(error) || Date.now() + wait >= context.deadline) throw error;
          await new Promise((wake) => setTimeout(wake, wait));
        }
      }
    } catch (error) {
      if (!isIdempotencyError(error)) throw error;
      // The key was first used with other parameters (the user's name changed between two createUser
      // events, or customerParams returned something else): that first request made this user's customer.
      const own = await findOwn(call, userId, params.email);
      if (own) return own;
      throw new StripeCustomerError(
        `customers.create: the user's idempotency key was used before, but the customer it made is not found yet (search lags behind writes)`,
        { retryable: true, stripeType: "StripeIdempotencyError", cause: error },
      );
    }
  }

  async function createUser(
    { user }: { user: AuthUser },
    context: HandlerContext<"createUser">,
  ): Promise<void | Skip> {
    const userId = userIdOf(user);
    if (!userId) return skip("the user has no id");
    if (getCustomerId && (await getCustomerId(user))) {
      return skip("the user already has a Stripe customer");
    }
    const call = caller(context, secrets);
    const params = await wanted(user, userId);
    let customer: Stripe.Customer | undefined;
    let reused = false;
    // An earlier attempt of this dispatch sent the create: a customer of this user's is that one.
    const madeHere = creating.has(context.dispatchId);
    if (reuseExisting && params.email) {
      const candidates = await listByEmail(call, params.email);
      // This user's own customer first (a retry or a repeated createUser), then one nobody owns.
      const found =
        candidates.find((c) => c.metadata?.userId === userId) ??
        candidates.find((c) => !c.metadata?.userId);
      if (found) {
        reused = !(madeHere && found.metadata?.userId === userId);
        customer =
          found.metadata?.userId === userId
            ? found
            : await call("customers.update", (o) =>
                stripe.customers.update(found.id, { metadata: { userId } }, o),
              );
      }
    }
    customer ??= await create(call, params, userId, context);
    if (onCustomerCreated) await onCustomerCreated({ user, customer, reused });
    creating.delete(context.dispatchId);
  }

  async function updateUser(
    { user }: { user: AuthUser },
    context: HandlerContext<"updateUser">,
  ): Promise<void | Skip> {
    const userId = userIdOf(user);
    if (!userId) return skip("the user has no id");
    const call = caller(context, secrets);
    const want = await wanted(user, userId);
    let customer: Stripe.Customer | undefined;
    if (getCustomerId) {
      const id = await getCustomerId(user);
      if (id) {
        try {
          const found = await call("customers.retrieve", (o) =>
            stripe.customers.retrieve(id, {}, o),
          );
          if (!found.deleted) customer = found;
        } catch (error) {
          if (!isMissing(error)) throw error;
        }
      }
    } else {
      // By email finds nothing when the email is what changed, and search lags behind a sign-up made
      // moments ago: the recent customers are read too, so a missing index never reads as "no customer".
      customer = (await findOwn(call, userId, want.email)) ?? (await findRecent(call, userId));
    }
    // Nothing to sync is not a failure, nor a choice not to act: the handler's job is done.
    if (!customer) return;

    const changes: Stripe.CustomerUpdateParams = {};
    if (want.email && want.email !== customer.email) changes.email = want.email;
    if (want.name && want.name !== customer.name) changes.name = want.name;
    if (!customer.metadata?.userId) changes.metadata = { userId };
    if (Object.keys(changes).length === 0) return;
    const { id } = customer;
    await call("customers.update", (o) => stripe.customers.update(id, changes, o));
  }

  const handlers = { createUser, updateUser };
  const events = Object.fromEntries(on.map((event) => [event, handlers[event]]));
  return withRecipeOptions({ name: "stripe-customer", events }, options);
}
