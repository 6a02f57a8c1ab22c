import {
  type ComposeOptions,
  composeEvents,
  type DispatchReport,
  type EventName,
  type Recipe,
  type RecipeError,
} from "@auth-recipes/core";
import type { StripeEmulator } from "@auth-recipes/testing";
import Stripe from "stripe";

/**
 * A real Stripe client pointed at the emulator, with the SDK's own defaults (2 network retries, an 80 s
 * timeout): the recipe must bound every request itself.
 */
export function stripeClient(emulator: StripeEmulator, key: string = emulator.apiKey): Stripe {
  return new Stripe(key, { ...emulator.clientOptions, telemetry: false });
}

/** Runs one event through composeEvents, as next-auth would, and collects what core reported. */
export async function dispatch(
  recipe: Recipe,
  event: EventName,
  message: unknown,
  options: ComposeOptions = {},
): Promise<{ errors: RecipeError[]; report: DispatchReport }> {
  const errors: RecipeError[] = [];
  let report: DispatchReport | undefined;
  const events = composeEvents([recipe], {
    ...options,
    onError: (error) => {
      errors.push(error);
    },
    onSettled: (settled) => {
      report = settled;
    },
  });
  const callback = events[event] as ((message: unknown) => Promise<void>) | undefined;
  if (!callback) throw new Error(`the recipe does not handle ${event}`);
  await callback(message);
  return { errors, report: report! };
}

/** A retry policy fast enough for tests. */
export const quickRetry = { retries: 2, minDelayMs: 10, maxDelayMs: 50, jitter: false } as const;
