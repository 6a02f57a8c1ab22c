import type { ComposeOptions, EventName, Recipe } from "@auth-recipes/core";
import { type DispatchedEvent, dispatchEvent, type StripeEmulator } from "@auth-recipes/testing";
import Stripe from "stripe";

/**
 * A real Stripe client pointed at the emulator, with the SDK's own defaults (2 network retries, an 80 s
 * timeout): the recipe must bound every request itself.
 */
export function stripeClient(emulator: StripeEmulator, key: string = emulator.apiKey): Stripe {
  return new Stripe(key, { ...emulator.clientOptions, telemetry: false });
}

/** Runs one event through composeEvents, as next-auth would, and collects what core reported. */
export function dispatch(
  recipe: Recipe,
  event: EventName,
  message: unknown,
  options: ComposeOptions = {},
): Promise<DispatchedEvent> {
  return dispatchEvent([recipe], event, message as never, options);
}

/** A retry policy fast enough for tests. */
export const quickRetry = { retries: 2, minDelayMs: 10, maxDelayMs: 50, jitter: false } as const;
