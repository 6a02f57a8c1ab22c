import type { ServiceEmulator } from "../emulator/service.ts";
import { smtpDefaults } from "./defaults.ts";
import type { ReceivedMail, SmtpEmulator, SmtpRequest, SmtpServerOptions } from "./types.ts";

/** What the inbox shows of the SMTP emulator. */
export interface SmtpInbox {
  url: string;
  messages: ReceivedMail[];
  requests: SmtpRequest[];
}

/** SMTP in the list of emulators: `EMAIL_SERVER` (next-auth's Email provider) and `SMTP_URL`. */
export const smtpService: ServiceEmulator<
  "smtp",
  SmtpEmulator,
  SmtpServerOptions,
  SmtpInbox,
  Record<never, string>
> = {
  key: "smtp",
  title: "SMTP",
  defaults: smtpDefaults,
  // Imported when started: the list, and EMULATOR_DEFAULTS derived from it, load no emulator.
  start: async (options) => (await import("./server.ts")).startSmtpServer(options),
  // next-auth's Email provider reads EMAIL_SERVER; the welcome-email recipe takes the same URL.
  environment: (smtp) => ({ EMAIL_SERVER: smtp.smtpUrl, SMTP_URL: smtp.smtpUrl }),
  inbox: (smtp) => ({ url: smtp.url, messages: smtp.messages, requests: smtp.requests }),
};
