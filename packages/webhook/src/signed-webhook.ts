import {
  type HandlerContext,
  type Recipe,
  type RecipeEvents,
  type RetryOptions,
  skip,
} from "@auth-recipes/core";
import { checkOptions, chosenEvents, configError, withRecipeOptions } from "@auth-recipes/core/kit";
import { post, type Target } from "./delivery.ts";
import { dataOf, TYPE_OF, WEBHOOK_EVENTS, type WebhookEvent } from "./message.ts";
import type { WebhookEventType, WebhookPayload } from "./payload.ts";
import { signerFor } from "./secret.ts";

/** Options for {@link signedWebhook}. */
export interface SignedWebhookOptions {
  /**
   * Where to POST each event: an `http:` or `https:` URL you own (a Zapier or n8n catch hook, your
   * service). Credentials in it (`https://user:pass@host/…`) are sent as `Authorization: Basic`. Errors
   * name only its origin: never its credentials, path or query string.
   */
  url: string | URL;
  /**
   * The signing secret, `whsec_` followed by base64 (at least 16 bytes), as Standard Webhooks libraries
   * and services (Svix, Clerk, Resend) make them. The receiver verifies with the same secret.
   */
  secret: string;
  /**
   * The recipe's name: give each a name of its own to compose several webhooks side by side. The
   * `webhook-id` derives from it, so two webhooks never share ids.
   * @default "webhook"
   */
  name?: string;
  /**
   * The auth events to deliver, by next-auth's event names; the payload's `type` names each as
   * `user.created`, `user.updated`, `user.signed_in`, `user.signed_out` or `account.linked`.
   * @default ["createUser", "updateUser", "signIn", "signOut", "linkAccount"]
   */
  on?: readonly WebhookEvent[];
  /**
   * Bounds each attempt, in ms; overrides `composeEvents`' `timeoutMs`.
   * @default composeEvents' timeoutMs (10000)
   */
  timeoutMs?: number;
  /**
   * Retry failed attempts; overrides `composeEvents`' `retry`. Network errors, timeouts, 408, 429 (after
   * its `Retry-After`) and 5xx are retried with the same `webhook-id` and body, so a receiver that
   * dedupes on the id acts once; a redirect and other 4xx never.
   * @default composeEvents' retry (off)
   */
  retry?: boolean | RetryOptions;
}

const PKG = "webhook";
// Bodies remembered between the attempts of one delivery, so that a retry sends the same bytes; the
// oldest are forgotten past this many (a retry then gets a fresh timestamp, nothing worse).
const MAX_REMEMBERED = 1000;

function targetOf(url: string | URL): Target {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Not quoted: the text may hold credentials.
    throw configError(PKG, 'option "url" is not a valid URL');
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw configError(
      PKG,
      `option "url" must be an http: or https: URL, not ${JSON.stringify(parsed.protocol)}`,
    );
  }
  let authorization: string | undefined;
  if (parsed.username || parsed.password) {
    let user: string;
    let password: string;
    try {
      user = decodeURIComponent(parsed.username);
      password = decodeURIComponent(parsed.password);
    } catch {
      throw configError(PKG, 'option "url" has credentials that are not valid percent-encoding');
    }
    const bytes = new TextEncoder().encode(`${user}:${password}`);
    authorization = `Basic ${btoa(String.fromCharCode(...bytes))}`;
    parsed.username = "";
    parsed.password = "";
  }
  parsed.hash = "";
  return { url: parsed.href, authorization, shown: parsed.origin };
}

/** `msg_` and 32 hex digits of SHA-256 over the recipe and the dispatch: stable across attempts. */
async function webhookId(recipe: string, dispatchId: string): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(`${recipe}\u0000${dispatchId}`),
  );
  const hex = Array.from(new Uint8Array(digest).subarray(0, 16), (byte) =>
    byte.toString(16).padStart(2, "0"),
  ).join("");
  return `msg_${hex}`;
}

/**
 * POSTs each auth event to a URL you own as `{ type, timestamp, data }`, signed per Standard Webhooks
 * (`webhook-id`, `webhook-timestamp`, `webhook-signature`, made with the `standardwebhooks` library):
 * a Zapier, n8n or Make hook, a CRM's inbound hook, your own service. The receiver checks the signature
 * with {@link verifyWebhook} or any Standard Webhooks library.
 *
 * `webhook-id` derives from the dispatch and the recipe's name, so every retry of one delivery carries
 * the same id (and body) and a receiver that dedupes on it acts once. No token is ever sent: the user's
 * id, email, name, image and `emailVerified`, the account's provider, type and provider account id,
 * and `isNewUser`, nothing else. An event whose user has no id is skipped.
 *
 * @example
 * ```ts
 * import { composeEvents } from "@auth-recipes/core";
 * import { signedWebhook } from "@auth-recipes/webhook";
 *
 * export const events = composeEvents([
 *   signedWebhook({ url: "https://hooks.example.com/auth", secret: process.env.WEBHOOK_SECRET! }),
 * ]);
 * ```
 */
export function signedWebhook(options: SignedWebhookOptions): Recipe {
  checkOptions(PKG, "signedWebhook", options, {
    url: {
      required: true,
      test: (url) => typeof url === "string" || url instanceof URL,
      is: "a string or a URL",
    },
    // Its shape is checked by signerFor, which verifyWebhook shares.
    secret: { required: true },
    name: {
      test: (name) => typeof name === "string" && name.trim() !== "",
      is: "a non-empty string",
    },
    on: {},
  });
  const target = targetOf(options.url);
  const signer = signerFor(options.secret);
  const { name = "webhook" } = options;
  const on = chosenEvents(PKG, options.on, WEBHOOK_EVENTS);
  const secret = options.secret;
  const remembered = new Map<string, string>();

  const deliver = async (
    type: WebhookEventType,
    message: unknown,
    context: HandlerContext | undefined,
  ) => {
    const data = dataOf(type, message);
    if (!data) return skip("no user id to deliver");
    // Called outside composeEvents there is no dispatch to derive from: the id is then simply unique.
    const id = await webhookId(context?.recipe ?? name, context?.dispatchId ?? crypto.randomUUID());
    let body = remembered.get(id);
    if (body === undefined) {
      const payload: WebhookPayload = { type, timestamp: new Date().toISOString(), data };
      body = JSON.stringify(payload);
    }
    const now = new Date();
    const signature = signer.sign(id, now, body);
    const timestamp = Math.floor(now.getTime() / 1000);
    const secrets = [secret, signature, signature.slice(3)];
    try {
      await post(target, { id, timestamp, body, signature }, context?.signal, secrets);
      remembered.delete(id);
    } catch (error) {
      // Kept for a retry of this delivery: it then sends the same bytes.
      remembered.delete(id);
      remembered.set(id, body);
      if (remembered.size > MAX_REMEMBERED) remembered.delete(remembered.keys().next().value!);
      throw error;
    }
    return undefined;
  };

  const events: RecipeEvents = {};
  for (const event of on) {
    const type = TYPE_OF[event];
    const handler = (message: unknown, context: HandlerContext) => deliver(type, message, context);
    (events as Record<string, unknown>)[event] = handler;
  }
  return withRecipeOptions({ name, events }, options);
}
