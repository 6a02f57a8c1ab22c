import { prefixed } from "@auth-recipes/core/kit";
import type { FaultState } from "./faults.ts";
import type { Listener } from "./listener.ts";
import type { Emulator, RecordedRequest } from "./types.ts";

/** What an emulator is made of, whatever its protocol. */
export interface EmulatorParts<
  Request extends RecordedRequest,
  Failure extends { times: number },
  Hang,
> {
  /** The emulator's base URL. */
  url: string;
  listener: Listener;
  faults: FaultState<Failure, Hang>;
  /** The array the emulator records requests in. */
  requests: Request[];
  /** Clears the service's own state on `reset()`. */
  onReset?: () => void;
  /** Releases what the server holds besides its listener, on `close()`. */
  onClose?: () => Promise<void>;
}

/** An emulator before its protocol adds `fail` and `hang`, which take protocol-specific options. */
export type EmulatorBase<Request extends RecordedRequest = RecordedRequest> = Omit<
  Emulator,
  "fail" | "hang" | "requests"
> & { requests: Request[] };

/**
 * The part of {@link Emulator} that is the same for every protocol: `delay`, `down`, `up`, `reset` and
 * `close` over a listener and a fault state. An emulator adds its own `fail`, `hang` and service
 * fields with {@link extendEmulator}.
 */
export function emulatorBase<
  Request extends RecordedRequest,
  Failure extends { times: number },
  Hang,
>(parts: EmulatorParts<Request, Failure, Hang>): EmulatorBase<Request> {
  const { listener, faults, requests } = parts;
  let closed = false;
  const stop = async () => {
    faults.cut();
    await listener.stop();
  };
  return {
    url: parts.url,
    port: listener.port,
    requests,
    delay: (ms) => faults.delay(ms),
    down: stop,
    async up() {
      if (closed) throw new Error(prefixed("testing", "up(): the emulator is closed"));
      faults.clear();
      await listener.resume();
    },
    reset() {
      requests.length = 0;
      faults.clear();
      faults.cut();
      parts.onReset?.();
    },
    async close() {
      closed = true;
      faults.clear();
      await stop();
      await parts.onClose?.();
    },
  };
}

/**
 * Adds a service's fields to an emulator, the one way every emulator extends the one below it. Getters
 * stay getters (copied as property descriptors), and a field of `extra` replaces the base's.
 */
export function extendEmulator<Base extends object, Extra extends object>(
  base: Base,
  extra: Extra,
): NoInfer<Omit<Base, keyof Extra> & Extra> {
  return Object.defineProperties(base, Object.getOwnPropertyDescriptors(extra)) as never;
}
