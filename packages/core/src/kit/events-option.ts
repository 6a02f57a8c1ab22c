import { configError } from "../config-error.ts";
import type { EventName } from "../events.ts";

// How much of a refused value a message quotes: it is the user's, possibly huge.
const MAX_SHOWN = 40;

/** A refused entry as a message can show it: a string quoted and cut, anything else by its type. */
function shown(value: unknown): string {
  if (typeof value !== "string") {
    if (value === null) return "null";
    return /^[aeiou]/.test(typeof value) ? `an ${typeof value}` : `a ${typeof value}`;
  }
  return JSON.stringify(value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value);
}

/**
 * The auth events a recipe handles, from its `on` option: next-auth's event names, as an array of
 * those the recipe supports. `undefined` gives `fallback`; anything else must be a non-empty array of
 * supported names (`[auth-recipes/<pkg>] option "on" must list at least one of …`, `option "on" has an
 * unknown event "…"; the events are …`, both `TypeError`s). A name given twice counts once. Every
 * recipe that lets the user choose its events calls it, so the option reads and fails the same way in
 * each.
 *
 * @example
 * ```ts
 * const on = chosenEvents("stripe", options.on, ["createUser", "updateUser"]);
 * ```
 */
export function chosenEvents<E extends EventName>(
  pkg: string,
  on: unknown,
  supported: readonly E[],
  fallback: readonly E[] = supported,
): readonly E[] {
  // Only `undefined` means the default: `on: null` is a mistake worth reporting.
  if (on === undefined) return fallback;
  if (!Array.isArray(on) || on.length === 0) {
    throw configError(pkg, `option "on" must list at least one of ${supported.join(", ")}`);
  }
  for (const event of on as unknown[]) {
    if (!(supported as readonly unknown[]).includes(event)) {
      throw configError(
        pkg,
        `option "on" has an unknown event ${shown(event)}; the events are ${supported.join(", ")}`,
      );
    }
  }
  return [...new Set(on as E[])];
}
