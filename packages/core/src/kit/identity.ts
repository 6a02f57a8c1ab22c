// Characters no address or id may hold: whitespace and line breaks (a CR/LF smuggles a header into a
// mail), control and format characters (zero-width spaces, bidi overrides such as U+202E: an address
// that reads as another), private-use and unassigned code points, and lone surrogates.
const INVISIBLE = /[\s\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}]/u;
// The same for an id, except that a space inside one is harmless.
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}\p{Zl}\p{Zp}]/u;
// One `@`, no list separators or brackets (two addresses in one), a dot in the domain. A quote is fine
// in the local part: `o'brien@example.com` is valid.
const EMAIL = /^[^@,;:<>()[\]\\"]+@[^@,;:<>()[\]\\"']+\.[^@,;:<>()[\]\\"'.]+$/;
// RFC 5321's limit for a whole address.
const MAX_EMAIL = 254;
const MAX_USER_ID = 256;

/**
 * `value` when it is one email address a recipe can send to or store as it is, else `undefined`, for a
 * reported skip ("no usable email address") rather than a failure at the service. Refused: anything
 * but a string, more or less than one `@`, whitespace or a line break anywhere (nothing is trimmed),
 * `,;:<>()[]\"`, invisible and bidi control characters (U+200B, U+202E, …), no dot in the domain, more
 * than 254 characters.
 *
 * @example
 * ```ts
 * const email = usableEmail(user.email);
 * if (!email) return skip("no usable email address");
 * ```
 */
export function usableEmail(value: unknown): string | undefined {
  return typeof value === "string" &&
    value.length <= MAX_EMAIL &&
    !INVISIBLE.test(value) &&
    EMAIL.test(value)
    ? value
    : undefined;
}

/**
 * `value` as a user id a recipe can send (a Segment `userId`, Stripe metadata), else `undefined`: a
 * string of at most 256 characters, not blank, without line breaks, control, format or invisible
 * characters; or a safe integer (some adapters' ids are numbers), as a string.
 *
 * @example
 * ```ts
 * const userId = usableUserId(user.id);
 * if (!userId) return skip("no user id");
 * ```
 */
export function usableUserId(value: unknown): string | undefined {
  if (Number.isSafeInteger(value)) return String(value);
  return typeof value === "string" &&
    value.trim() !== "" &&
    value.length <= MAX_USER_ID &&
    !UNPRINTABLE.test(value)
    ? value
    : undefined;
}
