import { randomBytes } from "node:crypto";
import {
  type Emulator,
  type EmulatorOptions,
  type EmulatorResponse,
  type RecordedRequest,
  startHttpEmulator,
} from "./http-emulator.ts";

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

// Form values as Stripe's bracket encoding nests them: `metadata[userId]=u1`, `expand[0]=x`.
type Param = string | Param[] | { [key: string]: Param };
type Params = { [key: string]: Param };

/** A Stripe API error, thrown inside a handler and turned into Stripe's JSON error shape. */
class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly extra: { code?: string; param?: string } = {},
  ) {
    super(message);
  }
}

function invalid(message: string, extra?: { code?: string; param?: string }): ApiError {
  return new ApiError(400, "invalid_request_error", message, extra);
}

function noSuchCustomer(id: string): ApiError {
  return new ApiError(404, "invalid_request_error", `No such customer: '${id}'`, {
    code: "resource_missing",
    param: "id",
  });
}

const CREATE_PARAMS = new Set([
  "address",
  "balance",
  "business_name",
  "cash_balance",
  "description",
  "email",
  "expand",
  "individual_name",
  "invoice_prefix",
  "invoice_settings",
  "metadata",
  "name",
  "next_invoice_sequence",
  "payment_method",
  "phone",
  "preferred_locales",
  "shipping",
  "source",
  "tax",
  "tax_exempt",
  "tax_id_data",
  "test_clock",
  "validate",
]);
const UPDATE_PARAMS = new Set([...CREATE_PARAMS, "default_source"]);
UPDATE_PARAMS.delete("payment_method");
UPDATE_PARAMS.delete("tax_id_data");
UPDATE_PARAMS.delete("test_clock");
const LIST_PARAMS = new Set([
  "created",
  "email",
  "ending_before",
  "expand",
  "limit",
  "starting_after",
  "test_clock",
]);
const SEARCH_PARAMS = new Set(["expand", "limit", "page", "query"]);
const RETRIEVE_PARAMS = new Set(["expand"]);

/**
 * Parses Stripe's form encoding (`a=1&metadata[userId]=u1&expand[0]=x&tags[]=y`) into nested values.
 * Objects whose keys are 0, 1, 2… become arrays, as Stripe reads `expand[0]=…`.
 */
function parseStripeForm(text: string): Params {
  const root: Params = {};
  for (const [name, value] of new URLSearchParams(text)) {
    const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(name);
    if (!match) throw invalid(`Invalid parameter name: ${name}`, { param: name });
    const path = [match[1]!, ...[...match[2]!.matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1]!)];
    let node: Record<string, Param> = root;
    for (let i = 0; i < path.length; i++) {
      let segment = path[i]!;
      // `tags[]=a&tags[]=b` appends, as `tags[0]=a&tags[1]=b` does.
      if (segment === "") segment = String(Object.keys(node).length);
      if (i === path.length - 1) {
        if (typeof node[segment] === "object") {
          throw invalid(`Invalid hash: ${path.slice(0, i + 1).join(".")}`, { param: path[0] });
        }
        node[segment] = value;
        break;
      }
      const next = node[segment];
      if (next === undefined || next === "") {
        // `metadata=` (empty, meaning "clear") followed by `metadata[k]=v` keeps the keys given.
        const child: Record<string, Param> = {};
        node[segment] = child;
        node = child;
      } else if (typeof next === "string") {
        throw invalid(`Invalid hash: ${path.slice(0, i + 1).join(".")}`, { param: path[0] });
      } else {
        node = next as Record<string, Param>;
      }
    }
  }
  return toArrays(root) as Params;
}

function toArrays(value: Param): Param {
  if (typeof value === "string" || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  const converted = Object.fromEntries(keys.map((key) => [key, toArrays(value[key]!)]));
  if (keys.length > 0 && keys.every((key, index) => key === String(index))) {
    return keys.map((key) => converted[key]!);
  }
  return converted;
}

// A key that fingerprints parameters whatever order they came in.
function canonical(value: unknown): string {
  if (typeof value !== "object" || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
}

function randomId(prefix: string, length = 14): string {
  const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  const bytes = randomBytes(length);
  let id = prefix;
  for (const byte of bytes) id += alphabet[byte % alphabet.length];
  return id;
}

// Stripe shows a wrong key with all but its prefix and last four characters masked.
function maskKey(key: string): string {
  const prefix = /^[a-z]+_(?:test|live)_/.exec(key)?.[0] ?? "";
  const rest = key.slice(prefix.length);
  return prefix + "*".repeat(Math.max(rest.length - 4, 0)) + rest.slice(-4);
}

function keyFrom(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const [scheme, credentials = ""] = authorization.split(" ", 2);
  if (scheme?.toLowerCase() === "bearer") return credentials;
  if (scheme?.toLowerCase() === "basic") {
    return Buffer.from(credentials, "base64").toString("utf8").split(":")[0];
  }
  return undefined;
}

// Close to what Stripe accepts: one address, no whitespace or control characters, no list separators.
const EMAIL =
  /^[^\s@,;<>()[\]\\:"\p{Cc}]+@[^\s@,;<>()[\]\\:"'\p{Cc}]+\.[^\s@,;<>()[\]\\:"'\p{Cc}]+$/u;

function stringParam(params: Params, name: string, max: number): string | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw invalid(`Invalid string: ${name}`, { param: name });
  if ([...value].length > max) {
    throw invalid(`Invalid string: ${value.slice(0, 20)}...; must be at most ${max} characters`, {
      param: name,
    });
  }
  return value;
}

function integerParam(params: Params, name: string, min: number, max: number): number | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !/^-?\d+$/.test(value)) {
    throw invalid(`Invalid integer: ${String(value)}`, { param: name });
  }
  const number = Number(value);
  if (number < min)
    throw invalid(`This value must be greater than or equal to ${min}.`, { param: name });
  if (number > max)
    throw invalid(`This value must be less than or equal to ${max}.`, { param: name });
  return number;
}

function checkKnown(params: Params, known: Set<string>): void {
  for (const name of Object.keys(params)) {
    if (!known.has(name)) {
      throw invalid(`Received unknown parameter: ${name}`, {
        code: "parameter_unknown",
        param: name,
      });
    }
  }
}

// Applies `metadata` as Stripe does: keys merge, an empty value removes a key, `metadata=` clears all.
function mergeMetadata(
  current: Record<string, string>,
  update: Param | undefined,
): Record<string, string> {
  if (update === undefined) return current;
  if (update === "") return {};
  if (typeof update !== "object" || Array.isArray(update)) {
    throw invalid("Invalid metadata: metadata must be a hash of strings", { param: "metadata" });
  }
  const merged = { ...current };
  for (const [key, value] of Object.entries(update)) {
    if (typeof value !== "string") {
      throw invalid(`Invalid value for metadata[${key}]: must be a string`, { param: "metadata" });
    }
    if (key.length > 40) {
      throw invalid("Metadata keys can have up to 40 characters.", { param: `metadata[${key}]` });
    }
    if (value.length > 500) {
      throw invalid("Metadata values can have up to 500 characters.", {
        param: `metadata[${key}]`,
      });
    }
    if (value === "") delete merged[key];
    else merged[key] = value;
  }
  if (Object.keys(merged).length > 50) {
    throw invalid("Metadata can have up to 50 keys.", { param: "metadata" });
  }
  return merged;
}

/** Validates and applies a create's or an update's parameters to a customer. */
function applyCustomerParams(
  customer: StripeCustomerRecord,
  params: Params,
  known: Set<string>,
): void {
  checkKnown(params, known);
  const email = stringParam(params, "email", 512);
  if (email) {
    if (!EMAIL.test(email)) {
      throw invalid(`Invalid email address: ${email}`, { code: "email_invalid", param: "email" });
    }
  }
  const name = stringParam(params, "name", 256);
  const description = stringParam(params, "description", 350);
  const phone = stringParam(params, "phone", 20);
  const metadata = mergeMetadata(customer.metadata, params.metadata);
  // Everything validated: now write. An empty string unsets a field, as in Stripe.
  if (email !== undefined) customer.email = email || null;
  if (name !== undefined) customer.name = name || null;
  if (description !== undefined) customer.description = description || null;
  if (phone !== undefined) customer.phone = phone || null;
  customer.metadata = metadata;
  for (const [field, value] of Object.entries(params)) {
    if (
      ["email", "name", "description", "phone", "metadata", "expand", "validate"].includes(field)
    ) {
      continue;
    }
    customer[field] = value === "" ? null : value;
  }
}

/** Parses a Stripe search query: clauses joined by spaces, `AND` or `OR` (not both). */
function parseSearchQuery(query: string): Pick<StripeSearch, "combinator" | "clauses"> {
  const fail = (reason: string, at: number) =>
    invalid(`Invalid search query: ${reason} at position ${at}.`, { param: "query" });
  let i = 0;
  const spaces = () => {
    while (i < query.length && /\s/.test(query[i]!)) i++;
  };
  const quoted = (): string => {
    const quote = query[i];
    if (quote !== "'" && quote !== '"') throw fail("expected a quoted value", i);
    const start = i++;
    let value = "";
    for (;;) {
      if (i >= query.length) throw fail("unterminated string", start);
      const char = query[i++]!;
      if (char === quote) return value;
      if (char === "\\") {
        if (i >= query.length) throw fail("unterminated string", start);
        value += query[i++];
      } else {
        value += char;
      }
    }
  };
  const clauses: StripeSearchClause[] = [];
  const combinators = new Set<"AND" | "OR">();
  spaces();
  if (i >= query.length) throw fail("empty query", 0);
  while (i < query.length) {
    if (clauses.length) {
      const word = /^(AND|OR)(?=\s)/i.exec(query.slice(i));
      if (word) {
        combinators.add(word[1]!.toUpperCase() as "AND" | "OR");
        i += word[1]!.length;
        spaces();
      } else {
        combinators.add("AND");
      }
    }
    const start = i;
    const negated = query[i] === "-";
    if (negated) i++;
    const field = /^[a-z_]+/.exec(query.slice(i))?.[0];
    if (!field) throw fail("expected a field", i);
    i += field.length;
    const clause: StripeSearchClause = { field, operator: ":", value: "", negated };
    if (field === "metadata") {
      if (query[i] !== "[") throw fail("expected metadata['key']", i);
      i++;
      clause.key = quoted();
      if (query[i] !== "]") throw fail("expected ]", i);
      i++;
    } else if (!["email", "name", "phone", "created"].includes(field)) {
      throw fail(`unsupported field '${field}' for customers`, start);
    }
    const operator = /^(>=|<=|:|~|>|<|=)/.exec(query.slice(i))?.[0] as
      | StripeSearchClause["operator"]
      | undefined;
    if (!operator) throw fail("expected an operator", i);
    i += operator.length;
    clause.operator = operator;
    if (field === "created") {
      const number = /^\d+/.exec(query.slice(i))?.[0];
      if (!number || operator === "~") throw fail("created takes a number and a comparator", i);
      clause.value = number;
      i += number.length;
    } else {
      if (operator !== ":" && operator !== "~") throw fail(`${field} takes : or ~`, i);
      clause.value = quoted();
      if (operator === "~" && (field === "metadata" || clause.value.length < 3)) {
        throw fail("substring search takes 3 characters or more on email, name or phone", i);
      }
    }
    clauses.push(clause);
    if (i < query.length && !/\s/.test(query[i]!)) throw fail("expected a space", i);
    spaces();
  }
  if (combinators.size > 1) throw fail("AND and OR cannot be combined", 0);
  if (clauses.length > 10) throw fail("at most 10 clauses", 0);
  return { combinator: combinators.has("OR") ? "OR" : "AND", clauses };
}

function matchesClause(customer: StripeCustomerRecord, clause: StripeSearchClause): boolean {
  let result: boolean;
  if (clause.field === "created") {
    const value = Number(clause.value);
    const created = customer.created;
    result = {
      ":": created === value,
      "=": created === value,
      ">": created > value,
      "<": created < value,
      ">=": created >= value,
      "<=": created <= value,
      "~": false,
    }[clause.operator];
  } else if (clause.field === "metadata") {
    result = customer.metadata[clause.key!] === clause.value;
  } else {
    // email, name and phone match whole values case-insensitively (substring with `~`).
    const field = customer[clause.field as "email" | "name" | "phone"];
    const have = field?.toLowerCase();
    const want = clause.value.toLowerCase();
    result = have !== undefined && (clause.operator === "~" ? have.includes(want) : have === want);
  }
  return clause.negated ? !result : result;
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

interface StoredResponse {
  method: string;
  path: string;
  fingerprint: string;
  requestId: string;
  response: EmulatorResponse;
}

/**
 * Starts an emulator of Stripe's customers API (`/v1/customers`: create, retrieve, update, delete, list,
 * search) on 127.0.0.1, for the real `stripe` SDK:
 *
 * ```ts
 * const emulator = await startStripeApi();
 * const stripe = new Stripe(emulator.apiKey, { ...emulator.clientOptions, maxNetworkRetries: 0 });
 * ```
 *
 * It speaks Stripe's bracket form encoding, checks the secret key, keeps Stripe's idempotency rules (the
 * same `Idempotency-Key` with the same parameters answers the first response again, with other
 * parameters a 400 `idempotency_error`), lists by exact, case-sensitive email, parses search queries
 * (`email:'…'`, `metadata['key']:'…'`, `\'` escapes; a query it cannot parse is a 400) and answers
 * errors in Stripe's shape `{ error: { type, code?, message, param? } }`.
 */
export async function startStripeApi(options: StripeApiOptions = {}): Promise<StripeEmulator> {
  const apiKey = options.apiKey ?? "sk_test_emulator";
  const searchLagMs = options.searchLagMs ?? 0;
  const customers: StripeCustomerRecord[] = [];
  const searches: StripeSearch[] = [];
  const byId = new Map<string, StripeCustomerRecord | "deleted">();
  // Creation order: `created` has a resolution of one second, too coarse to order a test's customers.
  const order = new Map<string, number>();
  const idempotency = new Map<string, StoredResponse>();
  // What search sees: each customer's last write, visible from `visibleAt` on.
  let searchIndex: { id: string; visibleAt: number; snapshot: StripeCustomerRecord | null }[] = [];

  const index = (customer: StripeCustomerRecord, deleted = false) => {
    searchIndex.push({
      id: customer.id,
      visibleAt: Date.now() + searchLagMs,
      snapshot: deleted ? null : structuredClone(customer),
    });
  };
  const searchable = (): StripeCustomerRecord[] => {
    const now = Date.now();
    const latest = new Map<string, StripeCustomerRecord | null>();
    for (const entry of searchIndex)
      if (entry.visibleAt <= now) latest.set(entry.id, entry.snapshot);
    return [...latest.values()].filter((c): c is StripeCustomerRecord => c !== null);
  };
  const find = (id: string): StripeCustomerRecord => {
    const customer = byId.get(id);
    if (!customer || customer === "deleted") throw noSuchCustomer(id);
    return customer;
  };
  const newestFirst = (list: StripeCustomerRecord[]) =>
    [...list].sort((a, b) => (order.get(b.id) ?? 0) - (order.get(a.id) ?? 0));

  const create = (params: Params): EmulatorResponse => {
    const customer = newCustomer();
    applyCustomerParams(customer, params, CREATE_PARAMS);
    customers.push(customer);
    byId.set(customer.id, customer);
    order.set(customer.id, order.size);
    index(customer);
    return { status: 200, body: structuredClone(customer) };
  };

  const update = (id: string, params: Params): EmulatorResponse => {
    const customer = find(id);
    // Validate on a copy so that a refused update changes nothing.
    const updated = structuredClone(customer);
    applyCustomerParams(updated, params, UPDATE_PARAMS);
    Object.assign(customer, updated);
    index(customer);
    return { status: 200, body: structuredClone(customer) };
  };

  const retrieve = (id: string, params: Params): EmulatorResponse => {
    checkKnown(params, RETRIEVE_PARAMS);
    const customer = byId.get(id);
    if (!customer) throw noSuchCustomer(id);
    // Stripe answers a deleted customer's id with a stub, not a 404.
    if (customer === "deleted")
      return { status: 200, body: { id, object: "customer", deleted: true } };
    return { status: 200, body: structuredClone(customer) };
  };

  const remove = (id: string): EmulatorResponse => {
    const customer = find(id);
    customers.splice(customers.indexOf(customer), 1);
    byId.set(id, "deleted");
    index(customer, true);
    return { status: 200, body: { id, object: "customer", deleted: true } };
  };

  const list = (params: Params): EmulatorResponse => {
    checkKnown(params, LIST_PARAMS);
    const limit = integerParam(params, "limit", 1, 100) ?? 10;
    const email = stringParam(params, "email", 512);
    let found = newestFirst(customers);
    // Exact and case-sensitive, as Stripe's list filter is.
    if (email !== undefined) found = found.filter((customer) => customer.email === email);
    const created = params.created;
    if (created !== undefined) {
      const range = typeof created === "string" ? { eq: created } : created;
      if (Array.isArray(range)) throw invalid("Invalid created", { param: "created" });
      for (const [op, raw] of Object.entries(range)) {
        const value = Number(raw);
        if (typeof raw !== "string" || !Number.isInteger(value)) {
          throw invalid(`Invalid integer: ${String(raw)}`, { param: `created[${op}]` });
        }
        const test = {
          eq: (c: number) => c === value,
          gt: (c: number) => c > value,
          gte: (c: number) => c >= value,
          lt: (c: number) => c < value,
          lte: (c: number) => c <= value,
        }[op];
        if (!test)
          throw invalid(`Received unknown parameter: created[${op}]`, {
            code: "parameter_unknown",
            param: `created[${op}]`,
          });
        found = found.filter((customer) => test(customer.created));
      }
    }
    const after = stringParam(params, "starting_after", 255);
    const before = stringParam(params, "ending_before", 255);
    let page: StripeCustomerRecord[];
    let hasMore: boolean;
    if (before !== undefined) {
      const at = found.findIndex((c) => c.id === before);
      if (at < 0) throw noSuchCustomer(before);
      page = found.slice(Math.max(at - limit, 0), at);
      hasMore = at - limit > 0;
    } else {
      const at = after === undefined ? 0 : found.findIndex((c) => c.id === after) + 1;
      if (after !== undefined && at === 0) throw noSuchCustomer(after);
      page = found.slice(at, at + limit);
      hasMore = found.length > at + limit;
    }
    return {
      status: 200,
      body: {
        object: "list",
        data: structuredClone(page),
        has_more: hasMore,
        url: "/v1/customers",
      },
    };
  };

  const search = (params: Params): EmulatorResponse => {
    checkKnown(params, SEARCH_PARAMS);
    const query = params.query;
    if (query === undefined) {
      throw invalid("Missing required param: query.", {
        code: "parameter_missing",
        param: "query",
      });
    }
    if (typeof query !== "string") throw invalid("Invalid string: query", { param: "query" });
    const limit = integerParam(params, "limit", 1, 100) ?? 10;
    const { combinator, clauses } = parseSearchQuery(query);
    const matched = newestFirst(searchable()).filter((customer) =>
      combinator === "AND"
        ? clauses.every((clause) => matchesClause(customer, clause))
        : clauses.some((clause) => matchesClause(customer, clause)),
    );
    searches.push({ query, combinator, clauses, matched: matched.map((c) => c.id) });
    const pageParam = stringParam(params, "page", 255);
    const offset =
      pageParam === undefined
        ? 0
        : Number.parseInt(Buffer.from(pageParam, "base64url").toString(), 10);
    if (!Number.isInteger(offset) || offset < 0)
      throw invalid("Invalid page token.", { param: "page" });
    const data = matched.slice(offset, offset + limit);
    const hasMore = matched.length > offset + limit;
    const expand = params.expand;
    const body: Record<string, unknown> = {
      object: "search_result",
      data,
      has_more: hasMore,
      next_page: hasMore ? Buffer.from(String(offset + limit)).toString("base64url") : null,
      url: "/v1/customers/search",
    };
    if (Array.isArray(expand) && expand.includes("total_count")) body.total_count = matched.length;
    return { status: 200, body };
  };

  const route = (method: string, path: string, params: Params): EmulatorResponse => {
    const id = /^\/v1\/customers\/([^/]+)$/.exec(path)?.[1];
    if (path === "/v1/customers") {
      if (method === "POST") return create(params);
      if (method === "GET") return list(params);
    } else if (path === "/v1/customers/search") {
      if (method === "GET") return search(params);
    } else if (id !== undefined) {
      const decoded = decodeURIComponent(id);
      if (method === "GET") return retrieve(decoded, params);
      if (method === "POST") return update(decoded, params);
      if (method === "DELETE") return remove(decoded);
    }
    throw new ApiError(
      404,
      "invalid_request_error",
      `Unrecognized request URL (${method}: ${path}). The emulator serves /v1/customers only.`,
    );
  };

  const handle = (request: RecordedRequest): EmulatorResponse => {
    const requestId = randomId("req_");
    const headers: Record<string, string> = {
      "request-id": requestId,
      "stripe-version": String(request.headers["stripe-version"] ?? "2026-10-28"),
    };
    const answer = (response: EmulatorResponse): EmulatorResponse => ({
      ...response,
      headers: { ...headers, ...response.headers },
    });
    const fromError = (error: ApiError): EmulatorResponse =>
      answer({
        status: error.status,
        body: { error: { type: error.type, ...error.extra, message: error.message } },
        // Stripe tells its SDKs not to retry a request that can only fail the same way again.
        headers: error.status < 500 ? { "stripe-should-retry": "false" } : {},
      });

    const key = keyFrom(request.headers.authorization);
    if (key === undefined) {
      return fromError(
        new ApiError(
          401,
          "invalid_request_error",
          "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
        ),
      );
    }
    if (key !== apiKey) {
      return fromError(
        new ApiError(401, "invalid_request_error", `Invalid API Key provided: ${maskKey(key)}`, {
          code: "api_key_invalid",
        }),
      );
    }

    const url = new URL(request.path, "http://emulator");
    const method = request.method.toUpperCase();
    const idempotencyKey = request.headers["idempotency-key"];
    let params: Params;
    try {
      params = parseStripeForm(method === "POST" ? request.body : url.search.slice(1));
    } catch (error) {
      if (error instanceof ApiError) return fromError(error);
      throw error;
    }

    // Idempotency applies to POST; Stripe ignores the header on GET and DELETE.
    let stored: StoredResponse | undefined;
    const fingerprint = canonical(params);
    if (method === "POST" && typeof idempotencyKey === "string") {
      headers["idempotency-key"] = idempotencyKey;
      if (idempotencyKey.length > 255) {
        return fromError(
          invalid("Idempotency-Key is too long: use at most 255 characters.", {
            param: "Idempotency-Key",
          }),
        );
      }
      stored = idempotency.get(idempotencyKey);
      if (stored) {
        if (stored.method !== method || stored.path !== url.pathname) {
          return fromError(
            new ApiError(
              400,
              "idempotency_error",
              `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${stored.method} ${stored.path}' vs '${method} ${url.pathname}'). Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
            ),
          );
        }
        if (stored.fingerprint !== fingerprint) {
          return fromError(
            new ApiError(
              400,
              "idempotency_error",
              `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
            ),
          );
        }
        return answer({
          ...stored.response,
          headers: {
            ...stored.response.headers,
            "idempotent-replayed": "true",
            "original-request": stored.requestId,
          },
        });
      }
    }

    let response: EmulatorResponse;
    let executed = true;
    try {
      response = answer(route(method, url.pathname, params));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      response = fromError(error);
      // Stripe saves a result only once the endpoint started executing: not for invalid parameters.
      executed = error.extra.code === "resource_missing";
    }
    if (method === "POST" && typeof idempotencyKey === "string" && executed) {
      idempotency.set(idempotencyKey, {
        method,
        path: url.pathname,
        fingerprint,
        requestId,
        // A snapshot: a later update must not change what a replay answers.
        response: { ...response, body: structuredClone(response.body) },
      });
    }
    return response;
  };

  const emulator = await startHttpEmulator(options, handle, () => {
    customers.length = 0;
    searches.length = 0;
    byId.clear();
    order.clear();
    idempotency.clear();
    searchIndex = [];
  });
  return {
    ...emulator,
    apiKey,
    clientOptions: { host: options.host ?? "127.0.0.1", port: emulator.port, protocol: "http" },
    customers,
    searches,
  };
}
