import { isSkip, type Recipe } from "@auth-recipes/core";
import type { Emulator } from "../emulator/types.ts";
import { defaultMessage } from "../fixtures/messages.ts";
import type { RecipeTestConfig } from "./config.ts";
import { describeError, fail } from "./errors.ts";
import { build, defaultEvents, dispatch, marginOf, prepare, timeoutOf } from "./harness.ts";
import { type Around, type Call, instrument, settled } from "./instrument.ts";

/**
 * Where the service offers idempotency (`effects` is given): a delivery retried after its first
 * attempt's answer was lost leaves as many effects as one that went through at once. The answer is lost
 * two ways: delayed past the timeout by the emulator, and dropped after the first attempt completed.
 */
export async function checkIdempotentRetry<E extends Emulator, O extends object>(
  config: RecipeTestConfig<E, O>,
  emulator: E,
): Promise<void> {
  const { effects } = config;
  if (!effects) return;
  const timeoutMs = timeoutOf(config);
  const margin = marginOf(timeoutMs);
  const built = build(config, emulator);
  const events = defaultEvents(built);
  const retryOnce = {
    retries: 1,
    minDelayMs: 0,
    maxDelayMs: 0,
    jitter: false,
    retryIf: () => true,
  };

  // Every event at once, through the given recipe; returns the effects counted once every call stopped.
  const deliverAll = async (
    recipe: Recipe,
    calls: Call[],
    waitMs: number,
    retry?: Recipe["retry"],
  ) => {
    const started = performance.now();
    const outcomes = await Promise.all(
      events.map((event) => dispatch(config, recipe, event, defaultMessage(event), retry)),
    );
    await settled(calls, started + waitMs - performance.now());
    return { outcomes, count: await effects(emulator) };
  };

  await prepare(emulator);
  const once = instrument(built, { timeoutMs, retry: false });
  const baseline = await deliverAll(once.recipe, once.calls, timeoutMs + margin);
  for (const { event, result } of baseline.outcomes) {
    if (result.status === "rejected")
      fail(`${event} failed: ${describeError(result.error?.cause)}`);
  }
  if (baseline.count < 1) fail("effects() counted nothing after the default events were delivered");

  const lostAnswer = () =>
    Object.assign(new Error("the answer was lost (simulated by the conformance suite)"), {
      retryable: true,
    });
  const delayMs = timeoutMs + margin;
  const variants: Array<{ how: string; around: Around; before?: () => void; waitMs: number }> = [
    {
      how: `its answers were delayed ${delayMs} ms, past the ${timeoutMs} ms timeout`,
      before: () => emulator.delay(delayMs),
      // The retry finds the service prompt again.
      around: (context, run) => {
        if (context.attempt > 1) emulator.delay(0);
        return run();
      },
      waitMs: delayMs + timeoutMs + margin,
    },
    {
      how: "its answer was lost after it completed",
      around: (context, run) =>
        context.attempt > 1
          ? run()
          : run().then((value) => {
              if (isSkip(value)) return value;
              throw lostAnswer();
            }),
      waitMs: 2 * (timeoutMs + margin),
    },
  ];
  for (const variant of variants) {
    await prepare(emulator);
    const { recipe, calls } = instrument(built, { timeoutMs }, variant.around);
    variant.before?.();
    const { outcomes, count } = await deliverAll(recipe, calls, variant.waitMs, retryOnce);
    emulator.delay(0);
    for (const { event, result } of outcomes) {
      if (result.status !== "fulfilled" || result.attempts !== 2) {
        fail(
          `${event}, retried after ${variant.how}, ended ${result.status} after ${result.attempts} attempt(s)${result.error ? `: ${describeError(result.error.cause)}` : ""}`,
        );
      }
    }
    if (count !== baseline.count) {
      fail(
        `retried after ${variant.how}, the default events left ${count} effect(s) instead of ${baseline.count}: derive an idempotency key from the context's dispatchId`,
      );
    }
  }
  await prepare(emulator);
}
