import { describeError, fail } from "./errors.ts";
import { sleep } from "./harness.ts";

/**
 * Runs `body` while collecting unhandled rejections and uncaught exceptions, which it reports as the
 * check's failure. The runner's own listeners are set aside meanwhile, so that a recipe's stray
 * rejection fails this check by name instead of the whole run anonymously.
 */
export async function watchingProcess<T>(
  body: () => Promise<T>,
  cleanUp: () => Promise<void>,
): Promise<T> {
  const stray: unknown[] = [];
  const listener = (reason: unknown) => {
    stray.push(reason);
  };
  const savedRejection = process.listeners("unhandledRejection");
  const savedException = process.listeners("uncaughtException");
  process.removeAllListeners("unhandledRejection");
  process.removeAllListeners("uncaughtException");
  process.on("unhandledRejection", listener);
  process.on("uncaughtException", listener);
  let outcome: { value: T } | { error: unknown };
  try {
    outcome = { value: await body() };
  } catch (error) {
    outcome = { error };
  }
  try {
    // Cutting hung requests and restarting the emulator makes pending I/O settle now, while we listen:
    // a request a handler started and never awaited rejects here, not in a later test.
    await cleanUp();
    await sleep(50);
    await new Promise((wake) => setImmediate(wake));
  } finally {
    process.off("unhandledRejection", listener);
    process.off("uncaughtException", listener);
    for (const saved of savedRejection) process.on("unhandledRejection", saved);
    for (const saved of savedException) process.on("uncaughtException", saved);
  }
  if ("error" in outcome) throw outcome.error;
  if (stray.length) {
    fail(
      `${stray.length} unhandled rejection(s) or uncaught exception(s) while the recipe ran: ${stray
        .map(describeError)
        .join("; ")}. Await (or catch) every promise a handler starts.`,
    );
  }
  return outcome.value;
}
