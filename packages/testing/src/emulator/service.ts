import type { Emulator } from "./types.ts";

/**
 * What a service's emulator uses when started without options: the `auth-recipes-emulators` bin's port
 * for it, and the credentials it accepts (each under a name unique across the list, such as
 * `slackToken`: `EMULATOR_DEFAULTS` holds them side by side).
 */
export interface ServiceDefaults<C extends { [K in keyof C]: string } = Record<string, string>> {
  /** The bin's port for this emulator (a test's emulators take free ones: port 0). */
  readonly port: number;
  /** The credentials the emulator accepts when given none, by their name in `EMULATOR_DEFAULTS`. */
  readonly credentials: Readonly<C>;
}

/**
 * One service in the list of emulators (`SERVICE_EMULATORS`): how to start its emulator, its defaults,
 * the variables that point an app at it, and what the inbox shows of it. `startEmulators`, the
 * `auth-recipes-emulators` bin, `EMULATOR_DEFAULTS`, `emulatorEnvironment` and the inbox are derived
 * from the list, so a new service is its emulator's folder and one entry there.
 */
export interface ServiceEmulator<
  Key extends string = string,
  E extends Emulator = Emulator,
  O extends { host?: string; port?: number } = { host?: string; port?: number },
  I = unknown,
  C extends { [K in keyof C]: string } = Record<string, string>,
> {
  /** Its key: in `startEmulators`' options and result, in the inbox, and the bin's `--<key>-port`. */
  readonly key: Key;
  /** What the bin's help calls it, such as `Slack Web API`. */
  readonly title: string;
  /** Its port in the bin and the credentials its emulator accepts when given none. */
  readonly defaults: ServiceDefaults<C>;
  /**
   * Starts the emulator (port 0, a free one, unless `options.port` says otherwise). The listed services
   * import their emulator here, when started, so that the list and `EMULATOR_DEFAULTS` load without
   * any emulator.
   */
  start(options: O): Promise<E>;
  /** The environment variables that point an app at the running emulator. */
  environment(emulator: E): Record<string, string>;
  /** What the inbox shows of it, as JSON-ready data: what it received, credentials masked. */
  inbox(emulator: E): I;
}
