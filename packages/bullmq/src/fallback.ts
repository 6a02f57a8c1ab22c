import type { RetryOptions } from "@auth-recipes/core";
import { configError, configRangeError, cutText, resolveRoutes } from "@auth-recipes/core/kit";

const PKG = "bullmq";

/**
 * How {@link enqueueRecipes} runs the recipes in-process when the queue cannot take their jobs in time:
 * `enqueueRecipes`' `fallback` option as an object, which is `fallback: "inline"` with settings (`{}` is
 * `"inline"`: core's defaults). Both fields are the same as `composeEvents`' own, and apply only to
 * recipes that set none of their own.
 *
 * @example
 * ```ts
 * enqueueRecipes(recipes, { queue, fallback: { timeoutMs: 3_000, retry: { retries: 1 } } });
 * ```
 */
export interface InlineFallbackOptions {
  /**
   * Bounds each attempt of each recipe run in-process, in ms, for recipes without their own `timeoutMs`:
   * a positive number or `Infinity`. Not the whole run's bound: that is `enqueueRecipes`' `timeoutMs`,
   * whose deadline also ends any attempt still running.
   * @default 10000
   */
  timeoutMs?: number;
  /**
   * Retries in-process, for recipes without their own `retry`: `true` for core's defaults, or a policy.
   * A retry starts only before the enqueue handler's deadline.
   * @default false
   */
  retry?: boolean | RetryOptions;
}

const KEYS = ["timeoutMs", "retry"];
const SHAPE = '"inline", "none" or { timeoutMs?, retry? }';

/**
 * The `fallback` option, checked: `"none"` (drop the recipes, returned as `false`) or the in-process
 * run's options (`"inline"` and no option alike mean `{}`). Every wrong shape is a `TypeError` or
 * `RangeError` that names `fallback` or its field.
 */
export function checkFallback(value: unknown): InlineFallbackOptions | false {
  if (value === undefined || value === "inline") return {};
  if (value === "none") return false;
  if (typeof value === "boolean") {
    throw configError(
      PKG,
      `option "fallback" must be ${SHAPE}, not ${value}: "none" drops the recipes, "inline" (the default) runs them in-process`,
    );
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw configError(PKG, `option "fallback" must be ${SHAPE}`);
  }
  for (const key of Object.keys(value)) {
    if (!KEYS.includes(key)) {
      throw configError(
        PKG,
        `option "fallback" has no field ${JSON.stringify(cutText(key, 40))}: it takes timeoutMs and retry, as in fallback: { timeoutMs: 5_000, retry: true }`,
      );
    }
  }
  const { timeoutMs, retry } = value as InlineFallbackOptions;
  if (timeoutMs !== undefined) {
    if (typeof timeoutMs !== "number") {
      throw configError(PKG, 'option "fallback.timeoutMs" must be a number of ms');
    }
    // `0` is not "no timeout": refused, as core refuses it, rather than silently ignored.
    if (!(timeoutMs > 0)) {
      throw configRangeError(
        PKG,
        'option "fallback.timeoutMs" must be a positive number of ms or Infinity',
      );
    }
  }
  if (retry !== undefined) {
    if (typeof retry !== "boolean" && (typeof retry !== "object" || retry === null)) {
      throw configError(PKG, 'option "fallback.retry" must be a boolean or a retry policy');
    }
    // Core owns the policy's rules: its check runs here, on no recipe, so the message names this field.
    try {
      resolveRoutes([], { retry });
    } catch (error) {
      const detail = error instanceof Error ? error.message.replace(/^.*?option "retry" /, "") : "";
      const message = `option "fallback.retry" ${detail || "is not a valid retry policy"}`;
      throw error instanceof RangeError
        ? configRangeError(PKG, message)
        : configError(PKG, message);
    }
  }
  return {
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(retry !== undefined ? { retry } : {}),
  };
}
