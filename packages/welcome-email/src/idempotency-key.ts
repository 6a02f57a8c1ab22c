import { usableUserId } from "@auth-recipes/core/kit";

// Resend, the first service that reads it, takes keys of 1 to 256 characters.
const MAX_KEY = 256;
const PREFIX = "welcome-email";

async function sha256(text: string): Promise<string> {
  // Web Crypto: on Node 20 and on the edge runtime alike, where next-auth's config may run.
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * The idempotency key of the welcome email to one user: `welcome-email/<recipe>/<userId>`, each part
 * URI-encoded so that a `/` in either cannot make two pairs meet. The recipe is the composed name (the
 * handler context's `recipe`), so a renamed copy (`delayed(welcomeEmail(...), …, { name: "tips" })`)
 * has keys of its own. Keys longer than 256 characters become `welcome-email-sha256/<hex>` over both
 * parts: a prefix no short key has. A user without a usable id (never the case with an adapter) gets
 * a key per dispatch, `welcome-email/<recipe>/dispatch/<dispatchId>`: retries still send once.
 */
export async function idempotencyKey(
  recipe: string,
  userId: unknown,
  dispatchId: string,
): Promise<string> {
  const id = usableUserId(userId);
  const parts = id === undefined ? [recipe, "dispatch", dispatchId] : [recipe, id];
  // "dispatch" is a segment of its own: an encoded user id holds no "/", so no user id makes that key.
  let key: string | undefined;
  try {
    key = `${PREFIX}/${parts.map(encodeURIComponent).join("/")}`;
  } catch {
    // A lone surrogate (in a recipe name) cannot be URI-encoded: the hash takes it, as JSON escapes it.
  }
  if (key !== undefined && key.length <= MAX_KEY) return key;
  return `${PREFIX}-sha256/${await sha256(JSON.stringify(parts))}`;
}
