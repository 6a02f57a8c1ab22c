const PREFIX = "auth-recipes-stripe-customer-";
// Ids of this shape (cuid, uuid, numbers, ObjectId) are used as they are, so the key reads in Stripe's
// request logs; anything else is hashed, which keeps the key short and its characters header-safe.
const PLAIN_ID = /^[\w.:-]{1,128}$/;

/**
 * The Idempotency-Key for creating a user's customer: derived from the user id alone, so every attempt
 * of one createUser and every repeated createUser for that user send the same key, and Stripe creates at
 * most one customer for it (within the 24 hours or more that Stripe keeps keys).
 */
export async function idempotencyKey(userId: string): Promise<string> {
  if (PLAIN_ID.test(userId)) return PREFIX + userId;
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(userId));
  const hex = Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0"));
  return `${PREFIX}sha256-${hex.join("")}`;
}
