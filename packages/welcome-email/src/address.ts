// Whitespace (Unicode's too, CR/LF included), control characters, and every character that lets an
// address parser see a display name, a group, a comment, a route or a second address. nodemailer parses
// `"a@x.test\r\nBcc: evil@attacker.test"` as a group and sends to the attacker only, and
// `"user@ex ample.test"` to `user@ex`; refused here, neither can reach it.
const FORBIDDEN = /[\s\p{Cc},;:<>"()[\]\\]/u;

// RFC 5321's limit on a forward path.
const MAX_LENGTH = 254;

/** Why an address is not one plain address, or `undefined` when it is fine to send to. */
export function addressProblem(email: unknown): string | undefined {
  if (email === undefined || email === null || email === "") return "the user has no email address";
  if (typeof email !== "string") return "the user's email address is not a string";
  const at = email.indexOf("@");
  if (
    email.length > MAX_LENGTH ||
    FORBIDDEN.test(email) ||
    at < 1 ||
    at !== email.lastIndexOf("@") ||
    at === email.length - 1
  ) {
    // Never quote the address: skip reasons reach reports and logs.
    return "the user's email address is not a single plain address";
  }
  return undefined;
}
