import { configError, configRangeError, requiredOption } from "@auth-recipes/core/kit";
import { Webhook } from "standardwebhooks";

const PKG = "webhook";
const PREFIX = "whsec_";
// Standard Webhooks asks for secrets of 24 to 64 random bytes; 16 bytes (128 bits) is the least we
// sign with, so a typo'd or placeholder secret ("whsec_test") is caught at start-up.
const MIN_KEY_BYTES = 16;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The library's signer for a `whsec_…` secret, after checking it as the library reads it: base64 after
 * an optional `whsec_` prefix, at least 16 bytes once decoded. Errors never quote the secret.
 * @internal
 */
export function signerFor(secret: unknown, option = "secret"): Webhook {
  if (secret === undefined || secret === null || secret === "") throw requiredOption(PKG, option);
  if (typeof secret !== "string") {
    throw configError(PKG, `option "${option}" must be a string such as "whsec_…"`);
  }
  const key = secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret;
  // The library's base64 decoder accepts some malformed input; the shape is checked first.
  if (!BASE64.test(key) || key.length % 4 !== 0) {
    throw configError(
      PKG,
      `option "${option}" must be a Standard Webhooks secret: "whsec_" followed by base64`,
    );
  }
  if (Math.floor((key.replace(/=+$/, "").length * 3) / 4) < MIN_KEY_BYTES) {
    throw configRangeError(
      PKG,
      `option "${option}" is too short: a Standard Webhooks secret holds at least ${MIN_KEY_BYTES} random bytes`,
    );
  }
  try {
    return new Webhook(secret);
  } catch {
    throw configError(
      PKG,
      `option "${option}" must be a Standard Webhooks secret: "whsec_" followed by base64`,
    );
  }
}
