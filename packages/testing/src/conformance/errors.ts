/** A recipe failed a conformance check; the message says what it did and what was expected. */
export class ConformanceError extends Error {
  override name = "ConformanceError";
}

/** Fails the check that calls it. */
export function fail(message: string): never {
  throw new ConformanceError(message);
}

/** An error as one line, whatever was thrown (even a value whose `toString` throws). */
export function describeError(error: unknown): string {
  try {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } catch {
    return "(unprintable)";
  }
}
