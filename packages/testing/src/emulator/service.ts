import type { Emulator } from "./types.ts";

/**
 * One service in the list of emulators (`SERVICE_EMULATORS`): how to start its emulator, the variables
 * that point an app at it, and what the inbox shows of it. `startEmulators`, the
 * `auth-recipes-emulators` bin, `emulatorEnvironment` and the inbox are derived from the list, so a new
 * service is its emulator's folder and one entry there.
 */
export interface ServiceEmulator<
  Key extends string = string,
  E extends Emulator = Emulator,
  O extends { host?: string; port?: number } = { host?: string; port?: number },
  I = unknown,
> {
  /** Its key: in `startEmulators`' options and result, in the inbox, and the bin's `--<key>-port`. */
  readonly key: Key;
  /** What the bin's help calls it, such as `Slack Web API`. */
  readonly title: string;
  /** Starts the emulator (port 0, a free one, unless `options.port` says otherwise). */
  start(options: O): Promise<E>;
  /** The environment variables that point an app at the running emulator. */
  environment(emulator: E): Record<string, string>;
  /** What the inbox shows of it, as JSON-ready data: what it received, credentials masked. */
  inbox(emulator: E): I;
}
