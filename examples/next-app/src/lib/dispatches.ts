import type { DispatchReport } from "@auth-recipes/core";

/** How one recipe's handler ended in one dispatch, as the deliveries page draws it. */
export interface DispatchBar {
  recipe: string;
  status: "fulfilled" | "rejected" | "skipped";
  attempts: number;
  /** From the event's start, when every handler starts, to this handler's settling, in ms. */
  durationMs: number;
  timedOut: boolean;
  /** core's RecipeError message: the recipe, the event and the cause, already redacted. */
  error?: string;
  reason?: string;
}

/** One composed callback's call: an event and its recipes' bars. */
export interface DispatchRecord {
  key: string;
  event: string;
  /** When the event fired, in ms since the epoch. */
  startedAt: number;
  durationMs: number;
  bars: DispatchBar[];
}

const KEEP = 12;

// One list per server process. Next.js bundles each route on its own, so a module-level array would
// be one per route: the auth route writes, the deliveries route reads; the global is shared.
const store = globalThis as { [key: symbol]: DispatchRecord[] | undefined };
const STORE = Symbol.for("auth-recipes.example.dispatches");

/** Keeps an onSettled report, without the event's message: nothing here names the user. */
export function recordDispatch(report: DispatchReport): void {
  store[STORE] ??= [];
  const list = store[STORE];
  list.unshift({
    key: report.dispatchId,
    event: report.event,
    startedAt: Date.now() - report.durationMs,
    durationMs: report.durationMs,
    bars: report.results.map((result) => ({
      recipe: result.recipe,
      status: result.status,
      attempts: result.attempts,
      durationMs: result.durationMs,
      timedOut: result.error?.timedOut ?? false,
      ...(result.error ? { error: result.error.message } : {}),
      ...(result.reason ? { reason: result.reason } : {}),
    })),
  });
  list.length = Math.min(list.length, KEEP);
}

/** The latest dispatches of this process, newest first. */
export function recentDispatches(): DispatchRecord[] {
  return store[STORE] ?? [];
}
