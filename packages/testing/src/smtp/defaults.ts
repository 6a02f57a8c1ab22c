// No runtime imports: `@auth-recipes/testing/defaults` reads this without loading the emulator.
import type { ServiceDefaults } from "../emulator/service.ts";

/**
 * The SMTP emulator's defaults: the bin's port. It accepts any sender and any login, so it has no
 * credential.
 */
export const smtpDefaults: ServiceDefaults<Record<never, string>> = Object.freeze({
  port: 2525,
  credentials: Object.freeze({}),
});
