import { usableEmail } from "@auth-recipes/core/kit";

/**
 * Why an address is not one plain address, or `undefined` when it is fine to send to. The kit's
 * `usableEmail` decides, as in every recipe: whitespace, CR/LF, invisible and bidi characters (U+200B,
 * U+202E), list separators and brackets refuse it. nodemailer parses `"a@x.test\r\nBcc: evil@attacker.test"`
 * as a group and sends to the attacker only, and `"user@ex ample.test"` to `user@ex`; neither reaches it.
 */
export function addressProblem(email: unknown): string | undefined {
  if (email === undefined || email === null || email === "") return "the user has no email address";
  if (typeof email !== "string") return "the user's email address is not a string";
  // Never quote the address: skip reasons reach reports and logs.
  if (!usableEmail(email)) return "the user's email address is not a single plain address";
  return undefined;
}
