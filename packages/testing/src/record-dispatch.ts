import type { ComposeOptions, DispatchReport, EventName, RecipeError } from "@auth-recipes/core";

/**
 * What core reported for one event dispatched through a host: `dispatchEvent` under next-auth,
 * `dispatchThrough` under any `RecipeHost`.
 */
export interface DispatchedEvent {
  /** The dispatch report: one result per handler, in recipe order. */
  report: DispatchReport;
  /** Every `RecipeError` that reached `onError`, in the order they arrived. */
  errors: RecipeError[];
  /**
   * How long the auth library waited for the recipes, in ms: under next-auth, from the call to the composed
   * callback's resolution; under better-auth, its operation (the hook runs inside it).
   */
  durationMs: number;
}

/** The recording of one dispatch: the options to hand to a host, and what they saw. */
export interface DispatchRecording {
  /**
   * The given options with `onError`, `onSettled` and (only when given) `waitUntil` wrapped to record
   * what they receive; the given callbacks are still called.
   */
  options: ComposeOptions;
  /**
   * Waits for what was handed to `waitUntil`, then returns what core reported with the host's
   * `durationMs`, or `undefined` when `onSettled` was never called (the host lost the options).
   */
  result: (durationMs: number) => Promise<DispatchedEvent | undefined>;
}

/**
 * Records one dispatch, for every caller of a host (the conformance checks, `dispatchEvent`,
 * `dispatchThrough`): the host passes the options on to its library, so that no host records anything
 * itself.
 */
export function recordDispatch(options: ComposeOptions = {}): DispatchRecording {
  const errors: RecipeError[] = [];
  const handedOver: Promise<unknown>[] = [];
  let report: DispatchReport | undefined;
  const { waitUntil, onError, onSettled } = options;
  return {
    options: {
      ...options,
      // Only when the caller defers: a waitUntil of our own would change what the library waits for.
      waitUntil:
        waitUntil &&
        ((promise) => {
          handedOver.push(promise);
          return waitUntil(promise);
        }),
      onError: (error) => {
        errors.push(error);
        return onError?.(error);
      },
      onSettled: (settled) => {
        report = settled;
        return onSettled?.(settled);
      },
    },
    async result(durationMs) {
      // With waitUntil the library returns before the handlers settle: wait for what it handed over.
      // Whether that promise rejects is the platform's business; the report is what counts here.
      await Promise.allSettled(handedOver);
      return report && { report, errors, durationMs };
    },
  };
}

/** Why a host's dispatch came back without a report, and what a host must do. */
export function reportedNothing(host: string, event: EventName): string {
  return `the ${host} host reported nothing for ${event}: a host passes the options its dispatch receives to its library unchanged (their onSettled records the report) and resolves once the handlers settled`;
}
