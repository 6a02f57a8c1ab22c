// src/crm-contact.ts: a recipe that adds every new user to a CRM over HTTP, as `npm run new:recipe`
// writes one (templates/recipe), in one file.
import { isRetryable, type Recipe, type RetryOptions, skip } from "@auth-recipes/core";
import {
  checkOptions,
  configError,
  UpstreamError,
  usableUserId,
  withRecipeOptions,
} from "@auth-recipes/core/kit";

/** Options for {@link crmContact}. */
export interface CrmContactOptions {
  /** The API's base URL, such as `https://api.crm.example/v1/`. */
  baseUrl: string;
  /** The API key, sent as a bearer token. Never logged, never in an error message. */
  apiKey: string;
  /**
   * Bounds each attempt, in ms; overrides `composeEvents`' `timeoutMs`.
   * @default composeEvents' timeoutMs (10000)
   */
  timeoutMs?: number;
  /**
   * Retry failed attempts; overrides `composeEvents`' `retry`. 408, 429 (after its `Retry-After`), 5xx
   * and network errors are retried; other answers never.
   * @default composeEvents' retry (off)
   */
  retry?: boolean | RetryOptions;
}

const PKG = "crm-contact";

/**
 * Why the CRM refused a contact or could not be reached: the error that `crmContact`'s handler throws, which
 * `onError` receives as the `cause` of a `RecipeError`. Its message reads `[auth-recipes/crm-contact] …`,
 * redacted by the kit (never the API key or an email address); `retryable`, `retryAfterMs` and `status`
 * tell core's retry what to do.
 */
export class CrmContactError extends UpstreamError {
  override name = "CrmContactError";
}

/** Seconds or an HTTP date, as `Retry-After` allows; `undefined` for anything else. */
function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * Adds each new user to the CRM as a contact, once per user however often the event is retried or
 * replayed: every request carries an idempotency key made of the recipe's name and the user's id.
 *
 * @example
 * ```ts
 * composeEvents([crmContact({ baseUrl: "https://api.crm.example/v1/", apiKey: process.env.CRM_API_KEY! })]);
 * ```
 */
export function crmContact(options: CrmContactOptions): Recipe {
  // Every option listed: a typo (`apikey`) is refused at construction, not ignored.
  checkOptions(PKG, "crmContact", options, {
    baseUrl: { required: true, type: "string" },
    apiKey: { required: true, type: "string" },
  });
  let url: URL;
  try {
    url = new URL("contacts", options.baseUrl.replace(/\/?$/, "/"));
  } catch {
    throw configError(PKG, 'option "baseUrl" must be an absolute URL');
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw configError(PKG, 'option "baseUrl" must be an http(s) URL');
  }
  const { apiKey } = options;
  const secrets = [apiKey];

  const recipe: Recipe = {
    name: PKG,
    events: {
      async createUser({ user }, { signal, recipe: recipeName }) {
        const userId = usableUserId(user.id);
        if (!userId) return skip("no usable user id");
        let response: Response;
        try {
          response = await fetch(url, {
            method: "POST",
            // Aborts at the attempt's timeout, so a hung service holds nothing open.
            signal,
            redirect: "manual",
            headers: {
              authorization: `Bearer ${apiKey}`,
              "content-type": "application/json",
              // One contact per user: the same key on every attempt, every replayed job and a second
              // createUser for the same user. The composed name keeps a renamed copy's keys apart.
              "idempotency-key": `${recipeName}/${encodeURIComponent(userId)}`,
            },
            // JSON-encoded: a hostile name cannot break out of its field.
            body: JSON.stringify({ externalId: userId, email: user.email, name: user.name }),
          });
        } catch (error) {
          if (signal.aborted) throw signal.reason; // core's TimeoutError: retryable
          throw new CrmContactError(PKG, "the CRM could not be reached", {
            retryable: isRetryable(error),
            cause: error,
            secrets,
          });
        }
        // The body is never read: a hostile or broken server cannot make us buffer it.
        await response.body?.cancel().catch(() => {});
        if (!response.ok) {
          const after = retryAfterMs(response.headers.get("retry-after"));
          // Quote the status, never the request: it holds the user's address and the key.
          throw new CrmContactError(PKG, `the CRM answered ${response.status}`, {
            retryable: isRetryable({ status: response.status }),
            status: response.status,
            ...(after === undefined ? {} : { retryAfterMs: after }),
            secrets,
          });
        }
      },
    },
  };
  return withRecipeOptions(recipe, options);
}
