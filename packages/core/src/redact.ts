// Redaction runs on text an upstream or a handler chose (an SDK's message can echo a whole request), on
// the failure path of every event: it must take time linear in a bounded input, whatever the input. So
// the input is cut first, then split into tokens by one pass of a single character class, and each
// token is judged by tests that are anchored or fixed strings: no pattern can backtrack over a long run.

/** How much of a text is read; the rest is dropped, and so is the token the cut fell in. */
const MAX_INPUT = 1000;
// A token is a run of anything but whitespace, quotes, brackets and list separators.
const TOKEN = /[^\s"'`<>()[\]{},;]+/g;
const DELIMITER = /[\s"'`<>()[\]{},;]/;
// Within a token (a URL, a query string, a `key=value` pair, `user:password@host`).
const SEGMENT = /([=&?/:|])/;
// `@`, its URL-encoding (once or twice encoded) and the fullwidth `＠`: an email address or userinfo.
const AT = /@|%(?:25)?40|＠/i;
// Key shapes: Stripe (`sk_`, `rk_`, `pk_`, `whsec_`), Slack (`xoxb-`…), JWTs, GitHub tokens.
const KEY_SHAPE = /^(?:(?:sk|rk|pk|whsec)_|xox[a-z]-|eyJ|gh[pousr]_|github_pat_)/;
// A token after one of these is a credential (`Authorization: Basic <base64>`), unless it is a short
// lowercase word ("Basic authentication failed").
const AUTH_SCHEME = /^(?:bearer|basic|token|digest)$/i;
const WORD = /^[a-z]{1,19}$/;
// A value after one of these names (`?api_key=…`, `password: …`) is a credential.
const SECRET_NAME =
  /(?:pass(?:word|wd)?|pwd|secret|token|key|auth(?:orization)?|signature|sig|credentials?)$/i;
// Base64 long enough to hold a credential; an SMTP `AUTH PLAIN` blob decodes to `\0user\0password`.
const BASE64 = /^[A-Za-z\d+/]{8,}={0,2}$/;
// Line breaks and other control characters but the tab, escaped so that a redacted text stays on one line.
const CONTROL = /(?!\t)[\p{Cc}\u2028\u2029]/gu;

/** Options for {@link redact}. */
export interface RedactOptions {
  /**
   * Secrets known to the caller (a write key, an SMTP password), removed wherever they appear, also
   * URL-encoded and base64-encoded as HTTP Basic and SMTP AUTH send them (`base64(secret)`,
   * `base64(secret + ":")`, padded or not). Strings shorter than 4 characters are ignored, as they
   * would match too much.
   */
  secrets?: readonly string[];
}

const REDACTED = "[redacted]";

function decodesToAuthPlain(token: string): boolean {
  try {
    return atob(token).includes("\0");
  } catch {
    return false;
  }
}

function redactToken(token: string, credential: boolean): string {
  if (credential || (BASE64.test(token) && decodesToAuthPlain(token))) return REDACTED;
  const parts = token.split(SEGMENT);
  // Odd indexes hold the separators; a value that follows a secret's name and `=` or `:` is a secret.
  for (let i = 0; i < parts.length; i += 2) {
    const part = parts[i]!;
    const named =
      i >= 2 && (parts[i - 1] === "=" || parts[i - 1] === ":") && SECRET_NAME.test(parts[i - 2]!);
    if (part && (named || AT.test(part) || KEY_SHAPE.test(part))) parts[i] = REDACTED;
  }
  return parts.join("");
}

function toText(value: unknown): string {
  try {
    return typeof value === "string" ? value : String(value);
  } catch {
    return "(unprintable)";
  }
}

/** A secret as it is written, URL-encoded, and base64-encoded as Basic auth and SMTP AUTH send it. */
function secretForms(secret: string): string[] {
  const forms = [secret, encodeURIComponent(secret)];
  for (const plain of [secret, `${secret}:`]) {
    let encoded: string;
    try {
      encoded = btoa(plain);
    } catch {
      // Not Latin-1: no client could have sent it base64-encoded in a header.
      continue;
    }
    forms.push(encoded);
    const unpadded = encoded.replace(/=+$/, "");
    if (unpadded.length >= 4) forms.push(unpadded);
  }
  // Longest first: one form can begin another (base64 of `key` and of `key:` share their start).
  return forms.sort((a, b) => b.length - a.length);
}

/**
 * Makes a text safe to log: email addresses (also URL-encoded, as in an echoed request URL), credentials
 * after `Bearer`/`Basic` and after names such as `password=` or `api_key=`, key shapes (Stripe, Slack,
 * JWTs, GitHub), base64 `AUTH PLAIN` blobs and the caller's known `secrets` (also URL- and base64-encoded) become `[redacted]`; line
 * breaks and control characters are escaped (`\n`), so the text stays on one line. Only the first 1000
 * characters are read (a longer text ends in `…`), so it takes microseconds whatever it is given; any
 * value is accepted, and it never throws.
 *
 * @example
 * ```ts
 * redact("no such customer victim@example.com (Bearer sk_live_123)"); // "no such customer [redacted] (Bearer [redacted])"
 * redact(`HTTP 401 ${writeKey} rejected`, { secrets: [writeKey] }); // "HTTP 401 [redacted] rejected"
 * ```
 */
export function redact(text: unknown, options?: RedactOptions): string {
  let out = toText(text);
  let cut = false;
  if (out.length > MAX_INPUT) {
    // Drop the token the cut fell in: half an email address or half a key is still a leak.
    let end = MAX_INPUT;
    while (end > 0 && !DELIMITER.test(out[end - 1]!)) end--;
    out = out.slice(0, end);
    cut = true;
  }
  const secrets = options?.secrets;
  for (const secret of Array.isArray(secrets) ? secrets : []) {
    if (typeof secret !== "string" || secret.length < 4) continue;
    for (const form of secretForms(secret)) out = out.split(form).join(REDACTED);
  }
  // What the previous token says of this one: after a scheme, or after `password:` (a name and a separator).
  let scheme = false;
  let named = false;
  out = out.replace(TOKEN, (token) => {
    const isScheme = AUTH_SCHEME.test(token);
    // `Authorization: Bearer <token>`: the name announces the scheme, the scheme the credential.
    const redacted = redactToken(token, !isScheme && (named || (scheme && !WORD.test(token))));
    scheme = isScheme;
    const last = token[token.length - 1];
    named = (last === ":" || last === "=") && SECRET_NAME.test(token.slice(0, -1));
    return redacted;
  });
  out = oneLine(out);
  return cut ? `${out}…` : out;
}

/**
 * `text` with line breaks (CR, LF, U+2028, U+2029) and other control characters but the tab escaped
 * (`\n`, `\r`, `\u2028`), so that it prints as one line and cannot forge a second one in a log.
 * @internal
 */
export function oneLine(text: string): string {
  return text.replace(CONTROL, (c) =>
    c === "\n" ? "\\n" : c === "\r" ? "\\r" : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
