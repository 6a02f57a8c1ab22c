// `@auth-recipes/testing/defaults`: derived from the list of emulators, whose entries import their
// emulator only when started, so an app reads it without loading an emulator or a Node module (it
// imports core's kit, which runs on any runtime). Each service's port and credentials live in its own
// folder (`src/<service>/defaults.ts`).
import { defaultsOf } from "./emulator/defaults.ts";
import type { ServiceDefaults } from "./emulator/service.ts";
import { type ListedService, SERVICE_EMULATORS, type ServiceKey } from "./services.ts";

/**
 * The ports the `auth-recipes-emulators` bin listens on when given none: one per listed service under
 * its key (such as `slack`, 4010: each service's own `defaults.port`), and the inbox server's.
 */
export type EmulatorPorts = { [K in ServiceKey]: number } & {
  /** The inbox server's (`GET /_inbox`). @default 4000 */
  inbox: number;
};

type UnionToIntersection<U> = (U extends unknown ? (union: U) => void : never) extends (
  intersection: infer I,
) => void
  ? I
  : never;

/** Every listed service's credentials, side by side: `slackToken`, `stripeApiKey`, … */
export type EmulatorCredentials = UnionToIntersection<
  ListedService["defaults"] extends infer D
    ? D extends ServiceDefaults<infer C>
      ? C
      : never
    : never
>;

/**
 * What the emulators listen on and accept when started without options: the host, the bin's ports, and
 * each listed service's credentials side by side (such as `slackToken` and `stripeApiKey`).
 */
export type EmulatorDefaults = {
  /** The address every emulator listens on. @default "127.0.0.1" */
  host: string;
  /** The bin's fixed ports (a test's emulators take free ones: port 0). */
  ports: Readonly<EmulatorPorts>;
} & EmulatorCredentials;

/**
 * The emulators' defaults: their address, the bin's ports and the credentials they accept, derived from
 * the list of emulators (`SERVICE_EMULATORS`).
 *
 * @example
 * ```ts
 * import { EMULATOR_DEFAULTS } from "@auth-recipes/testing/defaults";
 * const { host, ports } = EMULATOR_DEFAULTS;
 * const slack = new WebClient(EMULATOR_DEFAULTS.slackToken, { slackApiUrl: `http://${host}:${ports.slack}/api/` });
 * ```
 */
export const EMULATOR_DEFAULTS: Readonly<EmulatorDefaults> = defaultsOf(
  SERVICE_EMULATORS,
) as Readonly<EmulatorDefaults>;
