import { extendEmulator } from "../emulator/base.ts";
import { DEFAULT_HOST } from "../emulator/host.ts";
import type { EmulatorResponse, RecordedRequest } from "../emulator/types.ts";
import { startHttpEmulator } from "../http-emulator.ts";
import { authenticate } from "./auth.ts";
import { CustomerStore, randomId } from "./customers.ts";
import { stripeDefaults } from "./defaults.ts";
import { ApiError } from "./errors.ts";
import { canonical, type Params, parseStripeForm } from "./form.ts";
import { IdempotencyStore } from "./idempotency.ts";
import { listCustomers, searchCustomers } from "./listing.ts";
import type { StripeApiOptions, StripeEmulator } from "./types.ts";

/** Stripe's error shape; Stripe tells its SDKs not to retry a request that can only fail the same way again. */
function errorResponse(error: ApiError): EmulatorResponse {
  return {
    status: error.status,
    body: { error: { type: error.type, ...error.extra, message: error.message } },
    headers: error.status < 500 ? { "stripe-should-retry": "false" } : {},
  };
}

/** Sends a request to its endpoint; throws an `ApiError` for an unknown one. */
function route(
  store: CustomerStore,
  method: string,
  path: string,
  params: Params,
): EmulatorResponse {
  const id = /^\/v1\/customers\/([^/]+)$/.exec(path)?.[1];
  if (path === "/v1/customers") {
    if (method === "POST") return store.create(params);
    if (method === "GET") return listCustomers(store, params);
  } else if (path === "/v1/customers/search") {
    if (method === "GET") return searchCustomers(store, params);
  } else if (id !== undefined) {
    const decoded = decodeURIComponent(id);
    if (method === "GET") return store.retrieve(decoded, params);
    if (method === "POST") return store.update(decoded, params);
    if (method === "DELETE") return store.remove(decoded);
  }
  throw new ApiError(
    404,
    "invalid_request_error",
    `Unrecognized request URL (${method}: ${path}). The emulator serves /v1/customers only.`,
  );
}

/**
 * Starts an emulator of Stripe's customers API (`/v1/customers`: create, retrieve, update, delete, list,
 * search) on 127.0.0.1, for the real `stripe` SDK:
 *
 * ```ts
 * const emulator = await startStripeApi();
 * const stripe = new Stripe(emulator.apiKey, { ...emulator.clientOptions, maxNetworkRetries: 0 });
 * ```
 *
 * It speaks Stripe's bracket form encoding, checks the secret key, keeps Stripe's idempotency rules (the
 * same `Idempotency-Key` with the same parameters answers the first response again, with other
 * parameters a 400 `idempotency_error`), lists by exact, case-sensitive email, parses search queries
 * (`email:'…'`, `metadata['key']:'…'`, `\'` escapes; a query it cannot parse is a 400) and answers
 * errors in Stripe's shape `{ error: { type, code?, message, param? } }`.
 */
export async function startStripeApi(options: StripeApiOptions = {}): Promise<StripeEmulator> {
  const apiKey = options.apiKey ?? stripeDefaults.credentials.stripeApiKey;
  const store = new CustomerStore(options.searchLagMs ?? 0);
  const idempotency = new IdempotencyStore();

  const handle = (request: RecordedRequest): EmulatorResponse => {
    const requestId = randomId("req_");
    const headers: Record<string, string> = {
      "request-id": requestId,
      "stripe-version": String(request.headers["stripe-version"] ?? "2026-10-28"),
    };
    const answer = (response: EmulatorResponse): EmulatorResponse => ({
      ...response,
      headers: { ...headers, ...response.headers },
    });

    const refused = authenticate(request.headers.authorization, apiKey);
    if (refused) return answer(errorResponse(refused));

    const url = new URL(request.path, "http://emulator");
    const method = request.method.toUpperCase();
    const key = request.headers["idempotency-key"];
    // Idempotency applies to POST; Stripe ignores the header on GET and DELETE.
    const idempotent =
      method === "POST" && typeof key === "string"
        ? { key, method, path: url.pathname, fingerprint: "", requestId }
        : undefined;
    let response: EmulatorResponse;
    try {
      const params = parseStripeForm(method === "POST" ? request.body : url.search.slice(1));
      if (idempotent) {
        headers["idempotency-key"] = idempotent.key;
        idempotent.fingerprint = canonical(params);
        const replayed = idempotency.replay(idempotent);
        if (replayed) return answer(replayed);
      }
      response = answer(route(store, method, url.pathname, params));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      response = answer(errorResponse(error));
      // Stripe saves a result only once the endpoint started executing: not for invalid parameters
      // (nor for a reused key), only for a customer that does not exist.
      if (error.extra.code !== "resource_missing") return response;
    }
    if (idempotent) idempotency.save(idempotent, response);
    return response;
  };

  const emulator = await startHttpEmulator(options, handle, () => {
    store.reset();
    idempotency.clear();
  });
  return extendEmulator(emulator, {
    apiKey,
    clientOptions: {
      host: options.host ?? DEFAULT_HOST,
      port: emulator.port,
      protocol: "http" as const,
    },
    customers: store.customers,
    searches: store.searches,
  });
}
