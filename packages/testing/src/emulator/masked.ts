import type { RecordedRequest } from "./types.ts";

/**
 * The requests as the inbox shows them: each `Authorization` header masked, so that a page reading the
 * inbox never shows a credential.
 */
export function masked(requests: readonly RecordedRequest[]): RecordedRequest[] {
  return requests.map((request) =>
    request.headers.authorization
      ? { ...request, headers: { ...request.headers, authorization: "[redacted]" } }
      : request,
  );
}
