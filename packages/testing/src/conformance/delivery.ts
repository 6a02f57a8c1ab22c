import type { Emulator } from "../emulator/types.ts";
import { defaultMessage } from "../fixtures/messages.ts";
import { users } from "../fixtures/users.ts";
import type { RecipeTestConfig } from "./config.ts";
import { describeError, fail } from "./errors.ts";
import { build, defaultEvents, dispatch, prepare, sleep } from "./harness.ts";

// A delivery check is about correctness, not speed: give slow SDKs (Segment's ≥ 300 ms callback) room.
const DELIVERY_TIMEOUT_MS = 5000;
const DELIVERED_WITHIN_MS = 1000;

/** Each default event, with {@link defaultMessage}, is handled without error and reaches the service. */
export async function checkDelivery<E extends Emulator, O extends object>(
  config: RecipeTestConfig<E, O>,
  emulator: E,
): Promise<void> {
  await prepare(emulator);
  const recipe = build(config, emulator);
  const user = users.alice;
  for (const event of defaultEvents(recipe)) {
    await prepare(emulator);
    const message = defaultMessage(event, user);
    const { result } = await dispatch(
      config,
      { ...recipe, timeoutMs: DELIVERY_TIMEOUT_MS, retry: false },
      event,
      message,
    );
    if (result.status === "skipped") fail(`${event} was skipped (${result.reason}), not delivered`);
    if (result.status === "rejected") {
      fail(`${event} failed: ${describeError(result.error?.cause)}`);
    }
    const deadline = performance.now() + DELIVERED_WITHIN_MS;
    for (;;) {
      try {
        await config.delivered(emulator, { event, message, user });
        break;
      } catch (error) {
        if (performance.now() > deadline) {
          fail(`${event} was not delivered to the emulator: ${describeError(error)}`);
        }
        await sleep(25);
      }
    }
  }
}
