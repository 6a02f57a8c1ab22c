// BullMQ stores job data with JSON.stringify, which turns a Date into a string: a handler that reads
// `user.emailVerified.getTime()` in-process would throw in a worker. Values are tagged instead, and
// decoded back to what the handler would have received in-process.

/** A message in its stored form: plain JSON, with tagged values. */
export type WireValue =
  | null
  | boolean
  | number
  | string
  | WireValue[]
  | { [key: string]: WireValue };

// A Date becomes `{ $date: <ms> }`. A real object key that starts with `$` gets one more `$`, so no
// message can forge a tag (`{ $date: 1 }` from a provider's profile stays an object).
const DATE = "$date";

/**
 * How deep a message may nest. Recipes read a few levels; the bound keeps encoding and decoding from
 * overflowing the stack on a hostile value (a profile field, a forged job) nested thousands of levels deep.
 */
export const MAX_MESSAGE_DEPTH = 64;

function tooDeep(): RangeError {
  return new RangeError(`the message is nested deeper than ${MAX_MESSAGE_DEPTH} levels`);
}

function encodeKey(key: string): string {
  return key.startsWith("$") ? `$${key}` : key;
}

/**
 * Turns a message into JSON-safe data that {@link decodeMessage} turns back into an equal message:
 * Dates stay Dates, `undefined` fields are left out (as JSON does), cycles are cut. Throws a `RangeError`
 * for a message nested deeper than {@link MAX_MESSAGE_DEPTH} levels.
 */
export function encodeMessage(value: unknown, seen: Set<object> = new Set()): WireValue {
  return encode(value, seen, 0);
}

function encode(value: unknown, seen: Set<object>, depth: number): WireValue {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Date) {
    const time = value.getTime();
    return { [DATE]: Number.isNaN(time) ? null : time };
  }
  if (typeof value !== "object") return null; // functions, symbols, undefined
  if (seen.has(value)) return null;
  if (depth >= MAX_MESSAGE_DEPTH) throw tooDeep();
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => encode(item, seen, depth + 1));
    const out: { [key: string]: WireValue } = {};
    const source = value as { toJSON?: () => unknown };
    // Objects that say how they serialise (a URL, a Decimal) are stored as JSON would store them.
    if (typeof source.toJSON === "function") return encode(source.toJSON(), seen, depth + 1);
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined || typeof item === "function" || typeof item === "symbol") continue;
      out[encodeKey(key)] = encode(item, seen, depth + 1);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

/**
 * The inverse of {@link encodeMessage}. Throws a `RangeError` for a value nested deeper than
 * {@link MAX_MESSAGE_DEPTH} levels, which no encoded message is.
 */
export function decodeMessage(value: unknown): unknown {
  return decode(value, 0);
}

function decode(value: unknown, depth: number): unknown {
  if (typeof value !== "object" || value === null) return value;
  // One more level than encoding allows: a Date's tag sits one level below its object.
  if (depth > MAX_MESSAGE_DEPTH) throw tooDeep();
  if (Array.isArray(value)) return value.map((item) => decode(item, depth + 1));
  const entries = Object.entries(value);
  if (entries.length === 1 && entries[0]?.[0] === DATE) {
    const time = entries[0][1];
    return new Date(typeof time === "number" ? time : Number.NaN);
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of entries)
    out[key.startsWith("$") ? key.slice(1) : key] = decode(item, depth + 1);
  return out;
}
