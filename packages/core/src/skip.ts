// Symbol.for, not Symbol(): two copies of core in one app (a recipe bundling its own) still agree,
// and a handler's ordinary return value can never be mistaken for a skip.
const SKIP = Symbol.for("auth-recipes.skip");

/** What {@link skip} returns: a handler's decision not to act, with the reason. */
export interface Skip {
  readonly skipped: true;
  readonly reason: string;
}

/**
 * Tells core that a handler chose not to act (no email address, an event it does not want).
 * Return it (or throw it) from a handler: the dispatch report lists the handler as `"skipped"` with the
 * reason, and nothing reaches `onError`.
 *
 * @example
 * ```ts
 * if (!user.email) return skip("no email address");
 * ```
 */
export function skip(reason: string): Skip {
  return { [SKIP]: true, skipped: true, reason: String(reason) } as Skip;
}

/** Whether a value is a {@link Skip} made by {@link skip}. Never throws, whatever the value. */
export function isSkip(value: unknown): value is Skip {
  return skipReason(value) !== undefined;
}

/**
 * The reason of a {@link Skip}, or `undefined` for any other value. Contained: a revoked Proxy, or one
 * whose `has` or `get` trap throws, is not a skip; a look-alike whose `reason` cannot be read skips with
 * an empty reason.
 * @internal
 */
export function skipReason(value: unknown): string | undefined {
  try {
    if (typeof value !== "object" || value === null || !(SKIP in value)) return undefined;
  } catch {
    return undefined;
  }
  try {
    const { reason } = value as { reason?: unknown };
    return typeof reason === "string" ? reason : "";
  } catch {
    return "";
  }
}
