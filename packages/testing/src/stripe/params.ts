// What the customer endpoints accept, and how a create or an update applies it, as Stripe validates it.

import { invalid } from "./errors.ts";
import type { Param, Params } from "./form.ts";
import type { StripeCustomerRecord } from "./types.ts";

/** The parameters `POST /v1/customers` accepts. */
export const CREATE_PARAMS: ReadonlySet<string> = new Set([
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
// An update takes what a create does, except what only a create can set, and a default source.
const CREATE_ONLY = new Set(["payment_method", "tax_id_data", "test_clock"]);
/** The parameters `POST /v1/customers/:id` accepts. */
export const UPDATE_PARAMS: ReadonlySet<string> = new Set(
  [...CREATE_PARAMS, "default_source"].filter((name) => !CREATE_ONLY.has(name)),
);
/** The parameters `GET /v1/customers` accepts. */
export const LIST_PARAMS: ReadonlySet<string> = new Set([
  "created",
  "email",
  "ending_before",
  "expand",
  "limit",
  "starting_after",
  "test_clock",
]);
/** The parameters `GET /v1/customers/search` accepts. */
export const SEARCH_PARAMS: ReadonlySet<string> = new Set(["expand", "limit", "page", "query"]);
/** The parameters `GET /v1/customers/:id` accepts. */
export const RETRIEVE_PARAMS: ReadonlySet<string> = new Set(["expand"]);

// Close to what Stripe accepts: one address, no whitespace or control characters, no list separators.
const EMAIL =
  /^[^\s@,;<>()[\]\\:"\p{Cc}]+@[^\s@,;<>()[\]\\:"'\p{Cc}]+\.[^\s@,;<>()[\]\\:"'\p{Cc}]+$/u;

/** A string parameter of at most `max` characters, or `undefined` when absent. */
export function stringParam(params: Params, name: string, max: number): string | undefined {
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

/** An integer parameter from `min` to `max`, or `undefined` when absent. */
export function integerParam(
  params: Params,
  name: string,
  min: number,
  max: number,
): number | undefined {
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

/** Refuses any parameter the endpoint does not know, as Stripe does (`parameter_unknown`). */
export function checkKnown(params: Params, known: ReadonlySet<string>): void {
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
export function applyCustomerParams(
  customer: StripeCustomerRecord,
  params: Params,
  known: ReadonlySet<string>,
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
