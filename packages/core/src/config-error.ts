/**
 * A message of `pkg`'s: `[auth-recipes/<pkg>] <message>`, the one way every package names itself in an
 * error (a CI check refuses the prefix written by hand outside core).
 *
 * @example
 * ```ts
 * throw new Error(prefixed("testing", "the emulator did not start"));
 * ```
 */
export function prefixed(pkg: string, message: string): string {
  return `[auth-recipes/${pkg}] ${message}`;
}

/**
 * A configuration error for `pkg`: a `TypeError` whose message reads `[auth-recipes/<pkg>] <message>`.
 * Returned, not thrown, so that the call site reads `throw configError(...)` and TypeScript sees the throw.
 *
 * @example
 * ```ts
 * if (typeof channel !== "string") throw configError("slack", 'option "channel" must be a string');
 * ```
 */
export function configError(pkg: string, message: string): TypeError {
  return new TypeError(prefixed(pkg, message));
}

/**
 * A configuration error for a value of the right type but out of range (a negative timeout): a
 * `RangeError` whose message reads `[auth-recipes/<pkg>] <message>`.
 *
 * @example
 * ```ts
 * if (!(maxLength > 0)) throw configRangeError("slack", 'option "maxLength" must be positive');
 * ```
 */
export function configRangeError(pkg: string, message: string): RangeError {
  return new RangeError(prefixed(pkg, message));
}

/**
 * The error for a missing option: a `TypeError` reading `[auth-recipes/<pkg>] option "<option>" is required`.
 *
 * @example
 * ```ts
 * if (options.client === undefined) throw requiredOption("slack", "client");
 * ```
 */
export function requiredOption(pkg: string, option: string): TypeError {
  return configError(pkg, `option "${option}" is required`);
}
