/**
 * Throws a configuration error, prefixed with the package's name as every auth-recipes package does.
 * A `RangeError` for a value out of range, a `TypeError` for anything else.
 */
export function configError(message: string, range?: boolean): never {
  throw new (range ? RangeError : TypeError)(`[auth-recipes/core] ${message}`);
}
