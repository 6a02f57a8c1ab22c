import { masked } from "../emulator/masked.ts";
import type { ServiceEmulator } from "../emulator/service.ts";
import type { RecordedRequest } from "../emulator/types.ts";
import { type ResendCredentials, resendDefaults } from "./defaults.ts";
import type { ResendApiOptions, ResendEmailRecord, ResendEmulator } from "./types.ts";

/** What the inbox shows of the Resend emulator. */
export interface ResendInbox {
  url: string;
  emails: ResendEmailRecord[];
  requests: RecordedRequest[];
}

/**
 * Resend in the list of emulators: `RESEND_BASE_URL` only. No `RESEND_API_KEY`: apps read its presence as
 * "send with Resend", so pointing an app at the emulators must not switch its email transport.
 */
export const resendService: ServiceEmulator<
  "resend",
  ResendEmulator,
  ResendApiOptions,
  ResendInbox,
  ResendCredentials
> = {
  key: "resend",
  title: "Resend API",
  defaults: resendDefaults,
  // Imported when started: the list, and EMULATOR_DEFAULTS derived from it, load no emulator.
  start: async (options) => (await import("./api.ts")).startResendApi(options),
  environment: (resend) => ({ RESEND_BASE_URL: resend.clientOptions.baseUrl }),
  inbox: (resend) => ({
    url: resend.url,
    emails: resend.emails,
    requests: masked(resend.requests),
  }),
};
