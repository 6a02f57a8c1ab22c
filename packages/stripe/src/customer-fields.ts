// One address: no whitespace or control characters (a CR/LF could smuggle a header into any mail Stripe
// sends), no list separators, one `@` and a dot in the domain. A quote is allowed: `o'brien@…` is valid.
const EMAIL =
  /^[^\s@,;:<>()[\]\\"\p{Cc}]+@[^\s@,;:<>()[\]\\"'\p{Cc}]+\.[^\s@,;:<>()[\]\\"'\p{Cc}]+$/u;
// Stripe's limits for these fields.
const MAX_EMAIL = 512;
const MAX_NAME = 256;

/**
 * The user's email address when Stripe can take it as a customer's email, else `undefined`: an address
 * with whitespace, a line break or two addresses in it is left out rather than sent (Stripe would refuse
 * it, and the user would get no customer at all).
 */
export function usableEmail(email: unknown): string | undefined {
  if (typeof email !== "string") return undefined;
  const trimmed = email.trim();
  return trimmed.length <= MAX_EMAIL && EMAIL.test(trimmed) ? trimmed : undefined;
}

/**
 * The user's name as a customer's name: control characters become spaces and a name longer than Stripe
 * takes is cut (by code points, so an emoji is never halved). `undefined` for no name or a blank one.
 */
export function customerName(name: unknown): string | undefined {
  if (typeof name !== "string") return undefined;
  const clean = name.replace(/[\p{Cc}\u2028\u2029]+/gu, " ").trim();
  if (!clean) return undefined;
  const characters = Array.from(clean);
  return characters.length > MAX_NAME ? characters.slice(0, MAX_NAME).join("") : clean;
}
