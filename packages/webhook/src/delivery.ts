import { isNetworkError } from "@auth-recipes/core/kit";
import { WebhookDeliveryError } from "./errors.ts";

/** Where deliveries go, as the factory checked it. */
export interface Target {
  /** The URL requested: without credentials or fragment. */
  url: string;
  /** `Basic …` from the URL's credentials, which `fetch` refuses in a URL. */
  authorization: string | undefined;
  /** How errors name the receiver: its origin only (the path of a catch hook is often its secret). */
  shown: string;
}

/** One signed request. */
export interface SignedRequest {
  id: string;
  /** Unix seconds, as signed. */
  timestamp: number;
  body: string;
  signature: string;
}

const USER_AGENT =
  "auth-recipes-webhook (@auth-recipes/webhook; +https://auth-recipes.github.io/auth-recipes/recipes/webhook)";

/** A `Retry-After` header's delay in ms: delta-seconds or an HTTP date; undefined when absent or bad. */
export function retryAfterMs(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || !value.trim()) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/** The failure of a request that got no answer: the attempt's timeout as core made it, else a network error. */
function requestError(
  error: unknown,
  target: Target,
  signal: AbortSignal | undefined,
  secrets: string[],
): unknown {
  if (signal?.aborted) return signal.reason;
  let code: string | undefined;
  try {
    const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
    code = typeof cause?.code === "string" ? cause.code : undefined;
  } catch {}
  return new WebhookDeliveryError(
    `the request to the receiver at ${target.shown} failed${code ? ` (${code})` : ""}`,
    { retryable: isNetworkError(error), ...(code ? { code } : {}), secrets, cause: error },
  );
}

/**
 * POSTs one signed request and resolves when the receiver answered 2xx; otherwise rejects with a
 * {@link WebhookDeliveryError} (or the signal's reason once it aborted).
 *
 * A receiver is somebody else's server, so it is not trusted: a redirect is not followed (it would
 * carry the signed body to an address nobody configured) and fails the attempt for good; the answer's
 * body is never read (its status says everything, and a receiver that streams megabytes costs one
 * cancelled stream); the attempt's signal bounds the request from connect to headers.
 */
export async function post(
  target: Target,
  request: SignedRequest,
  signal: AbortSignal | undefined,
  secrets: string[],
): Promise<void> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": USER_AGENT,
    "webhook-id": request.id,
    "webhook-timestamp": String(request.timestamp),
    "webhook-signature": request.signature,
  };
  if (target.authorization) headers.authorization = target.authorization;
  let response: Response;
  try {
    response = await fetch(target.url, {
      method: "POST",
      headers,
      body: request.body,
      redirect: "manual",
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    throw requestError(error, target, signal, secrets);
  }
  // Cancelled unread: nothing of the body is needed, and the stream holds the connection open.
  response.body?.cancel().catch(() => {});
  const { status } = response;
  if (status >= 200 && status < 300) return;
  const at = `the receiver at ${target.shown} answered ${status}`;
  if (status >= 300 && status < 400) {
    throw new WebhookDeliveryError(
      `${at}, a redirect, which is not followed: set "url" to the address that takes the request`,
      { status, retryable: false, secrets },
    );
  }
  const retryable = status === 408 || status === 429 || (status >= 500 && status < 600);
  const wait = retryable ? retryAfterMs(response.headers.get("retry-after")) : undefined;
  throw new WebhookDeliveryError(at, {
    status,
    retryable,
    ...(wait !== undefined ? { retryAfterMs: wait } : {}),
    secrets,
  });
}
