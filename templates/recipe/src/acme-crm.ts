import { isRetryable, type Recipe, type RetryOptions, skip } from "@auth-recipes/core";
import { checkOptions, configError, usableUserId, withRecipeOptions } from "@auth-recipes/core/kit";
import { AcmeCrmError } from "./errors.ts";

// Options follow the one naming rule of every recipe (CONTRIBUTING.md, "Options"): a service SDK's
// client object is taken under the name that SDK's own quick start gives the instance, so its setup
// pastes as a shorthand (`const acme = new AcmeCrm(key)`, then `acmeCrm({ acme })`), the auth events to
// act on are chosen with `on` by next-auth's event names, and checkOptions refuses any other key. Acme
// CRM has no SDK, so this recipe takes its HTTP API's base URL and key instead of a client.

/** Options for {@link acmeCrm}. */
export interface AcmeCrmOptions {
  /** The API's base URL, such as `https://api.acme-crm.example/v1/`. */
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

const PKG = "acme-crm";

/** Seconds or an HTTP date, as `Retry-After` allows; `undefined` for anything else. */
function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * Adds each new user to Acme CRM as a contact, once per user however often the event is retried or
 * replayed: every request carries an idempotency key made of the recipe's name and the user's id.
 *
 * @example
 * ```ts
 * composeEvents([acmeCrm({ baseUrl: "https://api.acme-crm.example/v1/", apiKey: process.env.ACME_CRM_KEY! })]);
 * ```
 */
export function acmeCrm(options: AcmeCrmOptions): Recipe {
  // `options must be an object: { baseUrl, apiKey }`, `option "apiKey" is required`, and a key that is
  // no option (`option "apikey" is not an option of acmeCrm; the options are …`), at construction.
  checkOptions(PKG, "acmeCrm", options, {
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
          throw new AcmeCrmError(PKG, "Acme CRM could not be reached", {
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
          throw new AcmeCrmError(PKG, `Acme CRM answered ${response.status}`, {
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
