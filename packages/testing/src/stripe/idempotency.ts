// Stripe's idempotency rules: a POST with an Idempotency-Key the emulator has seen answers the first
// response again (same endpoint, same parameters) or a 400 `idempotency_error` (anything else).
import type { EmulatorResponse } from "../emulator/types.ts";
import { ApiError, invalid } from "./errors.ts";

interface StoredResponse {
  method: string;
  path: string;
  /** The parameters' canonical form: the same parameters in any order match. */
  fingerprint: string;
  requestId: string;
  response: EmulatorResponse;
}

/** One POST, as the idempotency rules see it. */
export interface IdempotentRequest {
  key: string;
  method: string;
  path: string;
  fingerprint: string;
  requestId: string;
}

/** The responses saved by idempotency key. */
export class IdempotencyStore {
  readonly #saved = new Map<string, StoredResponse>();

  /**
   * What the key's earlier use answers for this request: its saved response, marked as replayed; or
   * throws the `ApiError` for a key that is too long or was used for another request. `undefined`
   * for a key not seen yet.
   */
  replay(request: IdempotentRequest): EmulatorResponse | undefined {
    const { key, method, path } = request;
    if (key.length > 255) {
      throw invalid("Idempotency-Key is too long: use at most 255 characters.", {
        param: "Idempotency-Key",
      });
    }
    const stored = this.#saved.get(key);
    if (!stored) return undefined;
    if (stored.method !== method || stored.path !== path) {
      throw new ApiError(
        400,
        "idempotency_error",
        `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${stored.method} ${stored.path}' vs '${method} ${path}'). Try using a key other than '${key}' if you meant to execute a different request.`,
      );
    }
    if (stored.fingerprint !== request.fingerprint) {
      throw new ApiError(
        400,
        "idempotency_error",
        `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
      );
    }
    return {
      ...stored.response,
      headers: {
        ...stored.response.headers,
        "idempotent-replayed": "true",
        "original-request": stored.requestId,
      },
    };
  }

  /** Saves what the request was answered, as a snapshot: a later update must not change a replay. */
  save(request: IdempotentRequest, response: EmulatorResponse): void {
    const { key, ...rest } = request;
    this.#saved.set(key, {
      ...rest,
      response: { ...response, body: structuredClone(response.body) },
    });
  }

  clear(): void {
    this.#saved.clear();
  }
}
