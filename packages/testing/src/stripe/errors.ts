/** A Stripe API error, thrown inside a handler and turned into Stripe's JSON error shape. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly extra: { code?: string; param?: string } = {},
  ) {
    super(message);
  }
}

/** A 400 `invalid_request_error`. */
export function invalid(message: string, extra?: { code?: string; param?: string }): ApiError {
  return new ApiError(400, "invalid_request_error", message, extra);
}

/** The 404 for an id no customer has (or had). */
export function noSuchCustomer(id: string): ApiError {
  return new ApiError(404, "invalid_request_error", `No such customer: '${id}'`, {
    code: "resource_missing",
    param: "id",
  });
}
