import { composeEvents } from "@auth-recipes/core";
import Emittery from "emittery";
import mitt from "mitt";
import { ratios, type Summary, summarize } from "./stats.ts";

/** The ways of running N handlers for one event that section 1 compares. */
export const DISPATCH_VARIANTS = [
  "composeEvents",
  "Promise.allSettled",
  "allSettled + timeout",
  "sequential",
  "emittery",
  "mitt",
] as const;
export type DispatchVariant = (typeof DISPATCH_VARIANTS)[number];

/** Section 1's figures for one number of handlers. */
export interface DispatchRow {
  handlers: number;
  /** Time per dispatch (one call of the event, every handler settled), in ms. */
  perCallMs: Record<DispatchVariant, Summary>;
  /** Each variant's time over bare `Promise.allSettled`'s, paired per round. */
  vsAllSettled: Record<DispatchVariant, Summary>;
  /** composeEvents' time over `allSettled + timeout`'s: what core costs beyond the timers it must arm. */
  composedVsTimeout: Summary;
  /** composeEvents' time less bare `Promise.allSettled`'s, per handler: the added cost, in ms. */
  addedPerHandlerMs: Summary;
}

export interface DispatchOptions {
  handlerCounts: readonly number[];
  rounds: number;
  /** How long one sample runs, in ms: long enough for the timer's resolution, short enough for many rounds. */
  sampleMs: number;
}

type Dispatch = (message: { user: { id: string } }) => unknown;

/**
 * Builds the five ways of running `count` no-op handlers. Every handler is its own `async` function, as
 * users' handlers are, so that no variant gains from calling one function many times.
 */
function buildVariants(count: number): Record<DispatchVariant, Dispatch> {
  const handlers = Array.from({ length: count }, () => async (_message: unknown) => {});
  const composed = composeEvents(
    handlers.map((handler, index) => ({ name: `noop-${index}`, events: { createUser: handler } })),
    // No handler fails; a no-op onError keeps the default's console out of the measurement regardless.
    { onError: () => {} },
  ).createUser!;
  const emittery = new Emittery<{ createUser: unknown }>();
  const bus = mitt<{ createUser: unknown }>();
  for (const handler of handlers) {
    emittery.on("createUser", handler);
    bus.on("createUser", handler);
  }
  return {
    composeEvents: composed,
    "Promise.allSettled": (message) => Promise.allSettled(handlers.map((h) => h(message))),
    // The least a hand-written dispatch needs to match composeEvents' first promise, that a hung handler
    // cannot hold the sign-in: a timer per handler, raced and cleared. Shows what the timeout costs.
    "allSettled + timeout": (message) =>
      Promise.allSettled(
        handlers.map((h) => {
          let timer: ReturnType<typeof setTimeout> | undefined;
          const timeout = new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error("timed out")), 10_000);
          });
          return Promise.race([h(message), timeout]).finally(() => clearTimeout(timer));
        }),
      ),
    // What a hand-written `events.createUser` does today: await each side effect in turn.
    sequential: async (message) => {
      for (const handler of handlers) await handler(message);
    },
    emittery: (message) => emittery.emit("createUser", message),
    // mitt calls its handlers synchronously and drops the promises they return: it neither waits for
    // them nor catches their rejections. It is here as the floor of "just call the functions".
    mitt: (message) => bus.emit("createUser", message),
  };
}

/** Runs `dispatch` `calls` times in a row, awaiting each call, and returns the time per call in ms. */
async function timeCalls(dispatch: Dispatch, calls: number): Promise<number> {
  const message = { user: { id: "u1" } };
  const started = performance.now();
  for (let i = 0; i < calls; i++) await dispatch(message);
  return (performance.now() - started) / calls;
}

/** How many calls fill `sampleMs`, found by running the variant for a while (which also warms it up). */
async function calibrate(dispatch: Dispatch, sampleMs: number): Promise<number> {
  let calls = 16;
  for (;;) {
    const perCall = await timeCalls(dispatch, calls);
    if (perCall * calls >= Math.min(20, sampleMs))
      return Math.max(1, Math.round(sampleMs / perCall));
    calls *= 4;
  }
}

/**
 * Section 1: dispatch overhead without I/O. For each handler count, every variant is sampled once per
 * round, in a rotating order, so the ratios compare samples taken at the same moment.
 */
export async function benchDispatch(options: DispatchOptions): Promise<DispatchRow[]> {
  const rows: DispatchRow[] = [];
  for (const count of options.handlerCounts) {
    const variants = buildVariants(count);
    const calls = {} as Record<DispatchVariant, number>;
    for (const name of DISPATCH_VARIANTS) {
      calls[name] = await calibrate(variants[name], options.sampleMs);
    }
    const samples = Object.fromEntries(DISPATCH_VARIANTS.map((name) => [name, [] as number[]]));
    // One round thrown away: the first samples after calibration still catch V8 optimising.
    for (const name of DISPATCH_VARIANTS) await timeCalls(variants[name], calls[name]);
    for (let round = 0; round < options.rounds; round++) {
      for (let i = 0; i < DISPATCH_VARIANTS.length; i++) {
        const name = DISPATCH_VARIANTS[(round + i) % DISPATCH_VARIANTS.length]!;
        samples[name]!.push(await timeCalls(variants[name], calls[name]));
      }
    }
    const base = samples["Promise.allSettled"]!;
    const perCallMs = {} as Record<DispatchVariant, Summary>;
    const vsAllSettled = {} as Record<DispatchVariant, Summary>;
    for (const name of DISPATCH_VARIANTS) {
      perCallMs[name] = summarize(samples[name]!);
      vsAllSettled[name] = ratios(samples[name]!, base);
    }
    const added = samples.composeEvents!.map((x, i) => (x - base[i]!) / count);
    rows.push({
      handlers: count,
      perCallMs,
      vsAllSettled,
      composedVsTimeout: ratios(samples.composeEvents!, samples["allSettled + timeout"]!),
      addedPerHandlerMs: summarize(added),
    });
  }
  return rows;
}
