import { invalid } from "./errors.ts";
import type { StripeCustomerRecord, StripeSearch, StripeSearchClause } from "./types.ts";

/** Parses a Stripe search query: clauses joined by spaces, `AND` or `OR` (not both). */
export function parseSearchQuery(query: string): Pick<StripeSearch, "combinator" | "clauses"> {
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

/** Whether the customer matches one clause (negation applied). */
export function matchesClause(customer: StripeCustomerRecord, clause: StripeSearchClause): boolean {
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
