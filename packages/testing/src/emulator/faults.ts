/** A connection (or a response) a fault holds open: `reset()`, `down()` and `close()` cut it. */
export interface Held {
  destroy(): void;
}

/**
 * The fault state every emulator keeps, whatever its protocol: the failure to answer the next
 * requests with, the delay of every answer, the hang, the connections hung and the answers waiting out
 * the delay. What a failure or a hang is (an HTTP status, an SMTP reply code and the stage it answers
 * at) is the emulator's; how they are set, counted down, cleared and cut is the same everywhere.
 *
 * @typeParam Failure - What `fail()` set, with how many more requests it fails.
 * @typeParam Hang - What `hang()` set (`true`, or the SMTP stage it hangs from).
 */
export class FaultState<Failure extends { times: number }, Hang = true> {
  /** The failure set by `fail()`, until it has failed `times` requests or is cleared. */
  failure: Failure | undefined;
  /** What `hang()` set, until cleared. */
  hang: Hang | undefined;
  /** How long each answer waits, in ms. */
  delayMs = 0;
  readonly #held = new Set<Held>();
  readonly #waiting = new Set<() => void>();

  /** Sets the failure, after checking its count. */
  fail(failure: Failure): void {
    if (!(failure.times >= 0)) {
      throw new RangeError(prefixed("testing", 'fail(): "times" must be ≥ 0'));
    }
    this.failure = failure;
  }

  /** Takes one failure for this request, if one is set (and `applies` to it): counts it down. */
  take(applies: (failure: Failure) => boolean = () => true): Failure | undefined {
    const { failure } = this;
    if (!failure || !(failure.times > 0) || !applies(failure)) return undefined;
    failure.times--;
    return failure;
  }

  /** Sets the delay of every answer, after checking it. */
  delay(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(prefixed("testing", "delay(): ms must be ≥ 0"));
    this.delayMs = ms;
  }

  /** Waits `ms`, or less if the waits are released (by `reset()`, `down()` or `close()`). */
  wait(ms: number): Promise<void> {
    return new Promise<void>((wake) => {
      const done = () => {
        clearTimeout(timer);
        this.#waiting.delete(done);
        wake();
      };
      const timer = setTimeout(done, ms);
      this.#waiting.add(done);
    });
  }

  /** Keeps a hung connection, to cut it later; `let go` once it closed by itself. */
  hold(connection: Held): void {
    this.#held.add(connection);
  }

  /** Forgets a held connection that closed. */
  letGo(connection: Held): void {
    this.#held.delete(connection);
  }

  /** Clears `fail`, `delay` and `hang`. */
  clear(): void {
    this.failure = undefined;
    this.hang = undefined;
    this.delayMs = 0;
  }

  /** Cuts every hung connection and sends every delayed answer now. */
  cut(): void {
    for (const connection of [...this.#held]) connection.destroy();
    this.#held.clear();
    for (const done of [...this.#waiting]) done();
  }
}

import { prefixed } from "@auth-recipes/core/kit";
