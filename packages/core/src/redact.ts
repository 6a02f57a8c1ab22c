// Email addresses, bearer tokens and the key shapes of the services recipes talk to (Stripe `sk_…`/`rk_…`,
// Slack `xox…`). Error messages from SDKs and user code can quote them; logs must not.
const SECRETS = /[^\s<>"'(]+@[^\s<>"')]+|\b[sr]k_\w+|\bxox\w-\S+|Bearer \S+/g;

/** Replaces email addresses and well-known secret shapes in a text with `[redacted]`. */
export function redact(text: string): string {
  return text.replace(SECRETS, "[redacted]");
}
