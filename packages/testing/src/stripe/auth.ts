import { ApiError } from "./errors.ts";

// Stripe shows a wrong key with all but its prefix and last four characters masked.
function maskKey(key: string): string {
  const prefix = /^[a-z]+_(?:test|live)_/.exec(key)?.[0] ?? "";
  const rest = key.slice(prefix.length);
  return prefix + "*".repeat(Math.max(rest.length - 4, 0)) + rest.slice(-4);
}

function keyFrom(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const [scheme, credentials = ""] = authorization.split(" ", 2);
  if (scheme?.toLowerCase() === "bearer") return credentials;
  if (scheme?.toLowerCase() === "basic") {
    return Buffer.from(credentials, "base64").toString("utf8").split(":")[0];
  }
  return undefined;
}

/**
 * Checks the secret key a request presents (`Authorization: Bearer …`, or Basic auth with the key as
 * the user, as `curl -u key:` sends it) and returns the 401 Stripe would answer, or `undefined`.
 */
export function authenticate(
  authorization: string | undefined,
  apiKey: string,
): ApiError | undefined {
  const key = keyFrom(authorization);
  if (key === undefined) {
    return new ApiError(
      401,
      "invalid_request_error",
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
    );
  }
  if (key !== apiKey) {
    return new ApiError(401, "invalid_request_error", `Invalid API Key provided: ${maskKey(key)}`, {
      code: "api_key_invalid",
    });
  }
  return undefined;
}
