/** A thrown value's message, whatever was thrown (an object whose toString throws too). */
export function describe(cause: unknown): string {
  try {
    return cause instanceof Error ? cause.message : String(cause);
  } catch {
    return "(unprintable)";
  }
}
