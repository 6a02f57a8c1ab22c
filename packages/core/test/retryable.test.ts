import { describe, expect, it } from "vitest";
import { isRetryable } from "../src/index.ts";

const withCode = (code: string) => Object.assign(new Error(code), { code });

describe("isRetryable", () => {
  it.each<[string, unknown]>([
    ["a timeout", Object.assign(new Error("t"), { name: "TimeoutError" })],
    ...[
      "ECONNRESET",
      "ECONNREFUSED",
      "ETIMEDOUT",
      "EPIPE",
      "EAI_AGAIN",
      "ENOTFOUND",
      "UND_ERR_SOCKET",
      "UND_ERR_CONNECT_TIMEOUT",
    ].map((code) => [code, withCode(code)] as [string, unknown]),
    ...[408, 425, 429, 500, 502, 503, 599].map((status): [string, unknown] => [
      `status ${status}`,
      { status },
    ]),
    ["statusCode 503", { statusCode: 503 }],
    ["retryable: true", { retryable: true, status: 400 }],
    [
      "fetch's TypeError wrapping a network error",
      new TypeError("fetch failed", { cause: withCode("ECONNREFUSED") }),
    ],
  ])("retries %s", (_name, error) => {
    expect(isRetryable(error)).toBe(true);
  });

  it.each<[string, unknown]>([
    ["a TypeError from a bug", new TypeError("Cannot read properties of undefined")],
    ["retryable: false", { retryable: false, status: 503 }],
    ...[400, 401, 403, 404, 409, 422, 600].map((status): [string, unknown] => [
      `status ${status}`,
      { status },
    ]),
    ["an unknown code", withCode("EENVELOPE")],
    ["a string", "ECONNRESET"],
    ["null", null],
    ["undefined", undefined],
  ])("does not retry %s", (_name, error) => {
    expect(isRetryable(error)).toBe(false);
  });

  it("survives a circular cause chain", () => {
    const a: { cause?: unknown } = {};
    a.cause = a;
    expect(isRetryable(a)).toBe(false);
  });
});
