// How deep a cause chain is followed: a chain can be circular, or built to be endless.
const MAX_CAUSES = 5;

/**
 * The message of a thrown value, for a recipe's own error message: an `Error`'s `message`, anything
 * else as `String(value)`, and `"(unprintable)"` when reading it throws (a Proxy, a getter, a
 * `toString` that throws). Never throws. Not redacted: pass the result to an `UpstreamError`, which is.
 *
 * @example
 * ```ts
 * throw new UpstreamError("crm", `request failed: ${messageOf(error)}`, { cause: error });
 * ```
 */
export function messageOf(value: unknown): string {
  try {
    return value instanceof Error ? String(value.message) : String(value);
  } catch {
    return "(unprintable)";
  }
}

/**
 * The objects of a cause chain, `error` first, then its `cause`, its cause's `cause`…: at most five, so
 * a circular or endless chain ends; stops at the first value that is not an object or whose `cause`
 * cannot be read. Never throws.
 *
 * @example
 * ```ts
 * const code = causeChain(error).map((e) => (e as { code?: unknown }).code).find((c) => typeof c === "string");
 * ```
 */
export function causeChain(error: unknown): object[] {
  const chain: object[] = [];
  try {
    while (chain.length < MAX_CAUSES && typeof error === "object" && error !== null) {
      chain.push(error);
      error = (error as { cause?: unknown }).cause;
    }
  } catch {
    // A getter that throws ends the chain where it is.
  }
  return chain;
}
