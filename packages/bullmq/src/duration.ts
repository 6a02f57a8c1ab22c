import { configError, configRangeError } from "@auth-recipes/core/kit";

/** A length of time in parts, added up: `{ days: 3 }`, `{ hours: 1, minutes: 30 }`. */
export interface Duration {
  days?: number;
  hours?: number;
  minutes?: number;
  seconds?: number;
}

const UNIT_MS = { days: 86_400_000, hours: 3_600_000, minutes: 60_000, seconds: 1_000 } as const;

/**
 * The longest delay accepted: one year. BullMQ scores its delayed set with the due time shifted left by
 * 12 bits, which stays exact (below 2^53) only until 2039; a year keeps far from that, and no onboarding
 * email waits longer.
 */
export const MAX_DELAY_MS: number = 366 * UNIT_MS.days;

/**
 * Milliseconds from a number of ms or a {@link Duration}, validated: a `TypeError` for a value of the wrong
 * shape (an unknown unit such as `day`, a string), a `RangeError` for a total that is not positive and
 * finite or exceeds {@link MAX_DELAY_MS}. `what` names the option in the error.
 *
 * @example
 * ```ts
 * toMilliseconds({ days: 3 }, "bullmq", "delay"); // 259200000
 * ```
 */
export function toMilliseconds(value: unknown, pkg: string, what: string): number {
  let ms: number;
  if (typeof value === "number") {
    ms = value;
  } else if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const parts = Object.entries(value);
    if (!parts.length) throw configError(pkg, `${what} must name at least one of ${units()}`);
    ms = 0;
    for (const [unit, amount] of parts) {
      if (!Object.hasOwn(UNIT_MS, unit)) {
        throw configError(
          pkg,
          `${what} has an unknown unit "${cut(unit)}"; the units are ${units()}`,
        );
      }
      if (typeof amount !== "number" || !Number.isFinite(amount) || amount < 0) {
        throw configRangeError(pkg, `${what}.${unit} must be a finite number, 0 or more`);
      }
      ms += amount * UNIT_MS[unit as keyof Duration];
    }
  } else {
    throw configError(pkg, `${what} must be a number of ms or { ${units()} }`);
  }
  if (!Number.isFinite(ms) || !(ms > 0) || ms > MAX_DELAY_MS) {
    throw configRangeError(
      pkg,
      `${what} must be more than 0 ms and at most a year (${MAX_DELAY_MS} ms)`,
    );
  }
  // BullMQ keeps whole milliseconds.
  return Math.ceil(ms);
}

function units(): string {
  return Object.keys(UNIT_MS).join(", ");
}

/** A unit name as typed, bounded, for an error message. */
function cut(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
