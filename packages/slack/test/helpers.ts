import type { ComposeOptions, EventName, Recipe } from "@auth-recipes/core";
import { type DispatchedEvent, dispatchEvent, type SlackEmulator } from "@auth-recipes/testing";
import { LogLevel, WebClient, type WebClientOptions } from "@slack/web-api";

/**
 * A real WebClient pointed at the emulator. Bounded as the README advises: the client's default policy
 * would retry for about 30 minutes, and without a timeout a hung request never ends.
 */
export function webClient(
  slack: SlackEmulator,
  options: WebClientOptions = {},
  token: string = slack.token,
): WebClient {
  return new WebClient(token, {
    ...slack.clientOptions,
    retryConfig: { retries: 0 },
    timeout: 2000,
    logLevel: LogLevel.ERROR,
    ...options,
  });
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
