// The one list of emulators. `startEmulators`, the `auth-recipes-emulators` bin (its ports, flags and
// help), `EMULATOR_DEFAULTS`, `emulatorEnvironment` and the inbox are derived from it: a new service is
// its folder (the emulator, its `defaults.ts` and its `service.ts`) and its entry here. Each entry
// imports its emulator only when started, so this list loads no emulator (`/defaults` reads it).
import { posthogService } from "./posthog/service.ts";
import { resendService } from "./resend/service.ts";
import { segmentService } from "./segment/service.ts";
import { slackService } from "./slack/service.ts";
import { smtpService } from "./smtp/service.ts";
import { stripeService } from "./stripe/service.ts";
import { webhookService } from "./webhook-receiver/service.ts";

/** Every service emulator, in the order the bin, the environment and the inbox list them. */
export const SERVICE_EMULATORS: readonly [
  typeof smtpService,
  typeof slackService,
  typeof stripeService,
  typeof segmentService,
  typeof resendService,
  typeof posthogService,
  typeof webhookService,
] = [
  smtpService,
  slackService,
  stripeService,
  segmentService,
  resendService,
  posthogService,
  webhookService,
];

/** One entry of {@link SERVICE_EMULATORS}. */
export type ListedService = (typeof SERVICE_EMULATORS)[number];

/** The key of a listed service, such as `slack`. */
export type ServiceKey = ListedService["key"];

/** The listed service whose key is `K`. */
export type ServiceOf<K extends ServiceKey> = Extract<ListedService, { key: K }>;

/** The running emulator of the service `K`, such as `SlackEmulator` for `slack`. */
export type EmulatorOf<K extends ServiceKey> = Awaited<ReturnType<ServiceOf<K>["start"]>>;
