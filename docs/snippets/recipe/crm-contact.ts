// src/crm-contact.ts: a recipe that adds every new user to a CRM over HTTP.
import { isRetryable, type Recipe, type RetryOptions, skip } from "@auth-recipes/core";

/** Options for {@link crmContact}. */
export interface CrmContactOptions {
  /** The CRM API's base URL, such as `https://api.crm.example/v1/`. */
  baseUrl: string;
  /** The API key, sent as a bearer token. Never logged, never in an error message. */
  apiKey: string;
  /**
   * Bounds each attempt, in ms; overrides `composeEvents`' `timeoutMs`.
   * @default composeEvents' timeoutMs (10000)
   */
  timeoutMs?: number;
  /**
   * Retry failed attempts; overrides `composeEvents`' `retry`.
   * @default composeEvents' retry (off)
   */
  retry?: boolean | RetryOptions;
}

/** The CRM refused a contact or could not be reached. `retryable` tells core whether to try again. */
export class CrmContactError extends Error {
  override name = "CrmContactError";
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

const PREFIX = "[crm-contact]";

/** Adds each new user to the CRM as a contact, once, however often the event is retried. */
export function crmContact(options: CrmContactOptions): Recipe {
  // Configuration errors throw now, at compose time, naming the option: never at sign-up.
  for (const name of ["baseUrl", "apiKey"] as const) {
    if (typeof options?.[name] !== "string" || !options[name]) {
      throw new TypeError(`${PREFIX} option "${name}" is required`);
    }
  }
  const url = new URL("contacts", options.baseUrl.replace(/\/?$/, "/"));

  const recipe: Recipe = {
    name: "crm-contact",
    events: {
      async createUser({ user }, { signal, dispatchId }) {
        if (!user.id) return skip("no user id");
        let response: Response;
        try {
          response = await fetch(url, {
            method: "POST",
            // Aborts at the attempt's timeout, so a hung CRM holds nothing open.
            signal,
            headers: {
              authorization: `Bearer ${options.apiKey}`,
              "content-type": "application/json",
              // The same key on every attempt of this dispatch: a retry after a lost answer is not
              // a second contact.
              "idempotency-key": `crm-contact-${dispatchId}`,
            },
            // JSON-encoded: a hostile name cannot break out of its field.
            body: JSON.stringify({ externalId: user.id, email: user.email, name: user.name }),
          });
        } catch (error) {
          if (signal.aborted) throw signal.reason; // core's TimeoutError: retryable
          // fetch's "fetch failed" wraps the network error (ECONNREFUSED, …); keep it as the cause.
          throw new CrmContactError(
            `${PREFIX} the CRM could not be reached`,
            isRetryable(error),
            undefined,
            {
              cause: error,
            },
          );
        }
        await response.body?.cancel();
        if (!response.ok) {
          // Quote the status, never the request: it holds the user's address and our key.
          throw new CrmContactError(
            `${PREFIX} the CRM answered ${response.status}`,
            isRetryable({ status: response.status }),
            response.status,
          );
        }
      },
    },
  };
  if (options.timeoutMs !== undefined) recipe.timeoutMs = options.timeoutMs;
  if (options.retry !== undefined) recipe.retry = options.retry;
  return recipe;
}
