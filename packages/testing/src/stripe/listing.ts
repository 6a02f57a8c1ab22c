// List and search: the two ways to find customers, consistent and lagging.
import type { EmulatorResponse } from "../emulator/types.ts";
import type { CustomerStore } from "./customers.ts";
import { invalid, noSuchCustomer } from "./errors.ts";
import type { Params } from "./form.ts";
import { checkKnown, integerParam, LIST_PARAMS, SEARCH_PARAMS, stringParam } from "./params.ts";
import { matchesClause, parseSearchQuery } from "./search-query.ts";
import type { StripeCustomerRecord } from "./types.ts";

/** `GET /v1/customers`: by exact, case-sensitive email and `created` range, paged by id. */
export function listCustomers(store: CustomerStore, params: Params): EmulatorResponse {
  checkKnown(params, LIST_PARAMS);
  const limit = integerParam(params, "limit", 1, 100) ?? 10;
  const email = stringParam(params, "email", 512);
  let found = store.newestFirst(store.customers);
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
}

/** `GET /v1/customers/search`: what the (lagging) search index sees, recorded in `store.searches`. */
export function searchCustomers(store: CustomerStore, params: Params): EmulatorResponse {
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
  const matched = store
    .newestFirst(store.searchable())
    .filter((customer) =>
      combinator === "AND"
        ? clauses.every((clause) => matchesClause(customer, clause))
        : clauses.some((clause) => matchesClause(customer, clause)),
    );
  store.searches.push({ query, combinator, clauses, matched: matched.map((c) => c.id) });
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
}
