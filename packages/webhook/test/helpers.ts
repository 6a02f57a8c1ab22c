import type {
  ComposeOptions,
  DispatchReport,
  EventMessages,
  EventName,
  RecipeError,
} from "@auth-recipes/core";
import { dispatchEvent, type WebhookReceiverEmulator } from "@auth-recipes/testing";
import { type SignedWebhookOptions, signedWebhook } from "../src/index.ts";

// Credentials in the URL and a token in its query string: neither may ever reach an error.
export const URL_PASSWORD = "url-password-0f9e8d";
export const QUERY_TOKEN = "query-token-7c6b5a";

/** The receiver's hook URL with a user and password and a query token, as some catch hooks are. */
export function hookUrlOf(receiver: WebhookReceiverEmulator): string {
  const url = new URL(receiver.hookUrl);
  url.username = "hooks";
  url.password = URL_PASSWORD;
  url.searchParams.set("token", QUERY_TOKEN);
  return url.href;
}

/** What must never be printed: the secret, its key, the URL's password and query token, every signature sent. */
export function secretsOf(receiver: WebhookReceiverEmulator): string[] {
  const signatures = receiver.deliveries.flatMap((delivery) =>
    (delivery.signature ?? "").split(" ").flatMap((one) => [one, one.slice(3)]),
  );
  return [
    receiver.secret,
    receiver.secret.slice("whsec_".length),
    URL_PASSWORD,
    QUERY_TOKEN,
    ...signatures.filter((one) => one.length > 8),
  ];
}

export interface Dispatched {
  report: DispatchReport;
  errors: RecipeError[];
  durationMs: number;
}

/** The recipe pointed at the receiver, one event dispatched as next-auth would, every outcome kept. */
export async function dispatch<E extends EventName>(
  receiver: WebhookReceiverEmulator,
  event: E,
  message: EventMessages[E],
  options: Partial<SignedWebhookOptions> = {},
  compose: ComposeOptions = {},
): Promise<Dispatched> {
  const recipe = signedWebhook({ url: hookUrlOf(receiver), secret: receiver.secret, ...options });
  return dispatchEvent([recipe], event, message, { timeoutMs: 2_000, ...compose });
}
