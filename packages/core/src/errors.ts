import type { EventName } from "./events.ts";
import { redact } from "./redact.ts";

/**
 * Marks errors whose message and fields are safe to print as they are (`UpstreamError`): a
 * `RecipeError` keeps such a cause as it was thrown instead of a redacted copy. `Symbol.for`, so that
 * two copies of core agree.
 * @internal
 */
export const SAFE_TO_LOG: unique symbol = Symbol.for("auth-recipes.safe-to-log");

// The fields a copy keeps: what decides a retry and what identifies the failure, never a body or payload.
const FIELDS = [
  "code",
  "status",
  "statusCode",
  "type",
  "retryable",
  "retryAfterMs",
  "requestId",
  "responseCode",
  "command",
  "errno",
  "syscall",
] as const;
// The built-in classes a copy keeps, so that `cause instanceof TypeError` still tells a bug apart.
const BUILT_INS = [TypeError, RangeError, SyntaxError, ReferenceError, URIError, EvalError];
// How deep a cause chain is copied: enough for `fetch failed` and its socket error, bounded for cycles.
const MAX_DEPTH = 3;

/** Reads a value that may throw (a getter, a Proxy trap, a revoked Proxy) as `undefined` instead. */
function read<T>(get: () => T): T | undefined {
  try {
    return get();
  } catch {
    return undefined;
  }
}

/**
 * What a `RecipeError` holds as its `cause`: the thrown value itself when it is safe to log (an
 * `UpstreamError`), else a copy that is: an `Error` (or the same built-in class: a `TypeError` stays a
 * `TypeError`) with the original's name, its message redacted, its stack's frames (not its message
 * lines), the fields that classify it (see `FIELDS`, strings redacted) and a copy of its own `cause`, three deep. Never throws.
 */
function safeCause(value: unknown, depth: number): Error {
  if (read(() => typeof value === "object" && value !== null && SAFE_TO_LOG in value))
    return value as Error;
  const object = read(() => value instanceof Error)
    ? (value as Record<string, unknown>)
    : undefined;
  const message = redact(object ? read(() => object.message) : value);
  const inner = object && depth < MAX_DEPTH ? read(() => object.cause) : undefined;
  const Class =
    BUILT_INS.find((C) => read(() => Object.getPrototypeOf(value)) === C.prototype) ?? Error;
  const copy = new Class(
    message,
    inner === undefined ? undefined : { cause: safeCause(inner, depth + 1) },
  );
  const name = object && read(() => object.name);
  if (typeof name === "string" && name !== copy.name) copy.name = redact(name);
  const fields = copy as unknown as Record<string, unknown>;
  for (const key of FIELDS) {
    const field = read(() => (value as Record<string, unknown> | null)?.[key]);
    if (typeof field === "number" || typeof field === "boolean") fields[key] = field;
    else if (typeof field === "string") fields[key] = redact(field);
  }
  // The original's frames say where it was thrown; its first lines repeat the unredacted message.
  const stack = object && read(() => object.stack);
  const frames =
    typeof stack === "string" ? stack.split("\n").filter((line) => /^\s+at /.test(line)) : [];
  copy.stack = [
    `${copy.name}: ${message}`,
    ...frames.slice(0, 10).map((frame) => redact(frame)),
  ].join("\n");
  return copy;
}

/**
 * A recipe's handler failed on its last attempt. `onError` receives one per failed handler and dispatch.
 *
 * Safe to log as it is, by design: `console.error(error)`, `util.inspect(error, { depth })`,
 * `JSON.stringify(error)` and pino's error serializer show no email address or credential. The message
 * names the recipe and the event and quotes the cause's message, redacted. `cause` is what the last
 * attempt threw when that is safe to print (an `UpstreamError`, whose message is redacted and which
 * keeps the SDK's error out of sight), else a redacted copy of it (its class when built in, its name,
 * message, stack frames, the fields that classify it (`code`, `status`, `statusCode`, `type`,
 * `retryable`, `retryAfterMs`, `requestId`, `responseCode`, `command`, `errno`, `syscall`), and its own
 * cause the same way): loggers print `cause` even when it is not enumerable, so it must hold nothing
 * secret. The value as it was thrown stays reachable, for debugging, as the non-enumerable
 * {@link RecipeError.unsafeCause}.
 */
export class RecipeError extends Error {
  override name = "RecipeError";
  /** The recipe whose handler failed. */
  declare readonly recipe: string;
  /** The event it was handling. */
  declare readonly event: EventName;
  /** How many attempts were made. */
  declare readonly attempts: number;
  /** Whether the last attempt timed out. */
  declare readonly timedOut: boolean;
  /** What the last attempt threw, safe to log: itself if it is an `UpstreamError`, else a redacted copy. */
  declare readonly cause: Error;
  /**
   * What the last attempt threw or rejected with, as it was (a non-Error value too). Non-enumerable, so
   * no logger prints it: it may hold the user's email address, a request body or a credential. Read it
   * while debugging; never log it.
   */
  declare readonly unsafeCause: unknown;

  /** Never throws, whatever `cause` is. */
  constructor(options: {
    recipe: string;
    event: EventName;
    attempts: number;
    timedOut: boolean;
    cause: unknown;
  }) {
    const { recipe, event, attempts, timedOut, cause } = options;
    const safe = safeCause(cause, 0);
    super(
      `recipe "${recipe}" failed on ${event} after ${attempts} attempt${attempts === 1 ? "" : "s"}: ${redact(read(() => safe.message))}`,
      { cause: safe },
    );
    Object.assign(this, { recipe, event, attempts, timedOut });
    Object.defineProperty(this, "unsafeCause", { value: cause, configurable: true });
  }
}

/** The error an attempt fails with when it runs past its timeout; `isRetryable` retries it. */
export function timeoutError(ms: number): Error {
  const error = new Error(`timed out after ${ms} ms`);
  error.name = "TimeoutError";
  return error;
}
