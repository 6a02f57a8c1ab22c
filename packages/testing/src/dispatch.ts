import {
  type ComposeOptions,
  composeEvents,
  type DispatchReport,
  type EventMessages,
  type EventName,
  type RecipeError,
  type RecipeInput,
} from "@auth-recipes/core";
import { prefixed } from "@auth-recipes/core/kit";

/**
 * What {@link dispatchEvent} saw core report for one event; a `RecipeHost` (next-auth's, better-auth's
 * or your own) reports the same.
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

/**
 * Runs one event through `composeEvents`, as next-auth would call it, and returns what core reported:
 * the dispatch report and every error. Your own `onError` and `onSettled`, if given, are still called.
 *
 * @example
 * ```ts
 * const { report, errors } = await dispatchEvent([slackNotify({ client, channel })], "createUser", events.createUser());
 * expect(report.results[0]?.status).toBe("fulfilled");
 * expect(slack.channel("signups")).toHaveLength(1);
 * ```
 */
export async function dispatchEvent<E extends EventName>(
  recipes: readonly RecipeInput[],
  event: E,
  message: EventMessages[E],
  options: ComposeOptions = {},
): Promise<DispatchedEvent> {
  const errors: RecipeError[] = [];
  let report: DispatchReport | undefined;
  let handedOver: Promise<unknown> | undefined;
  const { waitUntil } = options;
  const composed = composeEvents(recipes, {
    ...options,
    waitUntil:
      waitUntil &&
      ((promise) => {
        handedOver = promise;
        return waitUntil(promise);
      }),
    onError: (error) => {
      errors.push(error);
      return options.onError?.(error);
    },
    onSettled: (settled) => {
      report = settled;
      return options.onSettled?.(settled);
    },
  });
  const callback = composed[event] as ((message: EventMessages[E]) => Promise<void>) | undefined;
  if (!callback) throw new TypeError(prefixed("testing", `no recipe handles ${event}`));
  const started = performance.now();
  await callback(message);
  const durationMs = performance.now() - started;
  // With waitUntil the callback resolves before the handlers settle: wait for what it handed over.
  await handedOver;
  if (!report) throw new Error(prefixed("testing", "composeEvents reported nothing"));
  return { report, errors, durationMs };
}
