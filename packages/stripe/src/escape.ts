/**
 * Quotes a value for Stripe's search query language: single quotes around it, and a backslash before
 * each backslash and single quote in it. An email like `o'brien@example.com` or a user id holding
 * `' OR email:'` then stays one value: it can neither break the query nor add a clause to it.
 *
 * @example
 * ```ts
 * stripe.customers.search({ query: `metadata['userId']:${searchValue(user.id)}` });
 * ```
 */
export function searchValue(value: string): string {
  return `'${value.replace(/[\\']/g, (char) => `\\${char}`)}'`;
}
