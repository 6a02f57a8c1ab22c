import type { ComposeOptions, EventMessages, EventName, RecipeInput } from "@auth-recipes/core";
import { prefixed } from "@auth-recipes/core/kit";
import { nextAuthHost, type RecipeHost } from "./conformance/host.ts";
import { type DispatchedEvent, recordDispatch, reportedNothing } from "./record-dispatch.ts";

/**
 * Runs one event through the recipes on a host (`nextAuthHost`, better-auth's `betterAuthHost()` or
 * your own `RecipeHost`) and returns what core reported: the dispatch report, every error and how long
 * the library waited. Your own `onError` and `onSettled`, if given, are still called; with `waitUntil`
 * it still waits for the report.
 *
 * @example
 * ```ts
 * import { betterAuthHost } from "@auth-recipes/better-auth/testing";
 *
 * const { report } = await dispatchThrough(betterAuthHost(), [recipe], "signIn", defaultMessage("signIn"));
 * expect(report.results[0]?.status).toBe("fulfilled");
 * ```
 */
export async function dispatchThrough<E extends EventName>(
  host: RecipeHost,
  recipes: readonly RecipeInput[],
  event: E,
  message: EventMessages[E],
  options: ComposeOptions = {},
): Promise<DispatchedEvent> {
  const recording = recordDispatch(options);
  const { durationMs } = await host.dispatch(recipes, event, message, recording.options);
  const dispatched = await recording.result(durationMs);
  if (!dispatched) throw new Error(prefixed("testing", reportedNothing(host.name, event)));
  return dispatched;
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
export function dispatchEvent<E extends EventName>(
  recipes: readonly RecipeInput[],
  event: E,
  message: EventMessages[E],
  options: ComposeOptions = {},
): Promise<DispatchedEvent> {
  return dispatchThrough(nextAuthHost, recipes, event, message, options);
}
