import { randomBytes } from "node:crypto";
import type { EmulatorResponse } from "../emulator/types.ts";
import { noSuchCustomer } from "./errors.ts";
import type { Params } from "./form.ts";
import {
  applyCustomerParams,
  CREATE_PARAMS,
  checkKnown,
  RETRIEVE_PARAMS,
  UPDATE_PARAMS,
} from "./params.ts";
import type { StripeCustomerRecord, StripeSearch } from "./types.ts";

/** A Stripe-style id: the prefix and `length` random letters and digits. */
export function randomId(prefix: string, length = 14): string {
  const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  const bytes = randomBytes(length);
  let id = prefix;
  for (const byte of bytes) id += alphabet[byte % alphabet.length];
  return id;
}

function newCustomer(): StripeCustomerRecord {
  return {
    id: randomId("cus_"),
    object: "customer",
    address: null,
    balance: 0,
    created: Math.floor(Date.now() / 1000),
    currency: null,
    default_source: null,
    delinquent: false,
    description: null,
    discount: null,
    email: null,
    invoice_prefix: randomBytes(4).toString("hex").toUpperCase(),
    invoice_settings: {
      custom_fields: null,
      default_payment_method: null,
      footer: null,
      rendering_options: null,
    },
    livemode: false,
    metadata: {},
    name: null,
    next_invoice_sequence: 1,
    phone: null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: "none",
    test_clock: null,
  };
}

/** What search sees of one write: the customer as written, visible from `visibleAt` on. */
interface IndexEntry {
  id: string;
  visibleAt: number;
  /** `null` for a deletion. */
  snapshot: StripeCustomerRecord | null;
}

/**
 * The emulator's customers: what exists (for retrieve, update, delete and list, which are consistent)
 * and what search sees (each write visible `searchLagMs` later, as Stripe's index lags).
 */
export class CustomerStore {
  /** The customers that exist, oldest first. */
  readonly customers: StripeCustomerRecord[] = [];
  /** Every search answered, in order. */
  readonly searches: StripeSearch[] = [];
  readonly #byId = new Map<string, StripeCustomerRecord | "deleted">();
  // Creation order: `created` has a resolution of one second, too coarse to order a test's customers.
  readonly #order = new Map<string, number>();
  #searchIndex: IndexEntry[] = [];

  constructor(readonly searchLagMs: number) {}

  /** Forgets every customer and search. */
  reset(): void {
    this.customers.length = 0;
    this.searches.length = 0;
    this.#byId.clear();
    this.#order.clear();
    this.#searchIndex = [];
  }

  /** The customers search can see now. */
  searchable(): StripeCustomerRecord[] {
    const now = Date.now();
    const latest = new Map<string, StripeCustomerRecord | null>();
    for (const entry of this.#searchIndex) {
      if (entry.visibleAt <= now) latest.set(entry.id, entry.snapshot);
    }
    return [...latest.values()].filter((c): c is StripeCustomerRecord => c !== null);
  }

  /** A copy of `list`, newest first. */
  newestFirst(list: StripeCustomerRecord[]): StripeCustomerRecord[] {
    const order = this.#order;
    return [...list].sort((a, b) => (order.get(b.id) ?? 0) - (order.get(a.id) ?? 0));
  }

  create(params: Params): EmulatorResponse {
    const customer = newCustomer();
    applyCustomerParams(customer, params, CREATE_PARAMS);
    this.customers.push(customer);
    this.#byId.set(customer.id, customer);
    this.#order.set(customer.id, this.#order.size);
    this.#index(customer);
    return { status: 200, body: structuredClone(customer) };
  }

  update(id: string, params: Params): EmulatorResponse {
    const customer = this.#find(id);
    // Validate on a copy so that a refused update changes nothing.
    const updated = structuredClone(customer);
    applyCustomerParams(updated, params, UPDATE_PARAMS);
    Object.assign(customer, updated);
    this.#index(customer);
    return { status: 200, body: structuredClone(customer) };
  }

  retrieve(id: string, params: Params): EmulatorResponse {
    checkKnown(params, RETRIEVE_PARAMS);
    const customer = this.#byId.get(id);
    if (!customer) throw noSuchCustomer(id);
    // Stripe answers a deleted customer's id with a stub, not a 404.
    if (customer === "deleted") {
      return { status: 200, body: { id, object: "customer", deleted: true } };
    }
    return { status: 200, body: structuredClone(customer) };
  }

  remove(id: string): EmulatorResponse {
    const customer = this.#find(id);
    this.customers.splice(this.customers.indexOf(customer), 1);
    this.#byId.set(id, "deleted");
    this.#index(customer, true);
    return { status: 200, body: { id, object: "customer", deleted: true } };
  }

  #find(id: string): StripeCustomerRecord {
    const customer = this.#byId.get(id);
    if (!customer || customer === "deleted") throw noSuchCustomer(id);
    return customer;
  }

  #index(customer: StripeCustomerRecord, deleted = false): void {
    this.#searchIndex.push({
      id: customer.id,
      visibleAt: Date.now() + this.searchLagMs,
      snapshot: deleted ? null : structuredClone(customer),
    });
  }
}
