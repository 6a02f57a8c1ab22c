import type { Emulator, EmulatorOptions } from "../emulator/types.ts";

/** Options for {@link startStripeApi}. */
export interface StripeApiOptions extends EmulatorOptions {
  /**
   * The one secret key the emulator accepts, as `Authorization: Bearer …` (what the SDK sends) or as
   * the user of Basic auth (what `curl -u key:` sends). Any other key is answered with a 401.
   * @default "sk_test_emulator"
   */
  apiKey?: string;
  /**
   * How long a write takes to become visible to `customers.search`, in ms. Stripe's search index lags
   * behind writes (up to a minute, more during incidents) while `customers.list` does not: set this to
   * test that code does not read its own writes through search.
   * @default 0
   */
  searchLagMs?: number;
}

/** A customer as the emulator stores it and answers it: the fields of Stripe's customer object. */
export interface StripeCustomerRecord {
  id: string;
  object: "customer";
  /** Unix time in seconds. */
  created: number;
  email: string | null;
  name: string | null;
  description: string | null;
  phone: string | null;
  metadata: Record<string, string>;
  livemode: false;
  /** Any other field a create or update set (address, preferred_locales, …), as received. */
  [field: string]: unknown;
}

/** One clause of a search query, as the emulator parsed it. */
export interface StripeSearchClause {
  /** `email`, `name`, `phone`, `created` or `metadata`. */
  field: string;
  /** The metadata key, for `metadata['key']`. */
  key?: string;
  /** `:` (exact), `~` (substring), or a numeric comparator. */
  operator: ":" | "~" | ">" | "<" | ">=" | "<=" | "=";
  /** The value, unquoted and unescaped. */
  value: string;
  /** Whether the clause was negated with `-`. */
  negated: boolean;
}

/** A search the emulator answered, with its parsed query: a test can check no value widened it. */
export interface StripeSearch {
  /** The query string as received. */
  query: string;
  /** How the clauses were combined. */
  combinator: "AND" | "OR";
  clauses: StripeSearchClause[];
  /** The ids of the customers it matched, newest first. */
  matched: string[];
}

/** The options that point the `stripe` SDK at the emulator: spread them into `new Stripe(key, …)`. */
export interface StripeClientOptions {
  host: string;
  port: number;
  protocol: "http";
}

/** What {@link startStripeApi} returns: Stripe's customers API on 127.0.0.1. */
export interface StripeEmulator extends Emulator {
  /** The secret key the emulator accepts. */
  apiKey: string;
  /**
   * `{ host, port, protocol: "http" }`:
   * `new Stripe(emulator.apiKey, { ...emulator.clientOptions, maxNetworkRetries: 0 })`.
   */
  clientOptions: StripeClientOptions;
  /** The customers that exist (deleted ones leave), oldest first. */
  customers: StripeCustomerRecord[];
  /** Every search answered, in order. */
  searches: StripeSearch[];
}
