// No imports: `@auth-recipes/testing/defaults` reads this without loading an emulator.

/** The address every emulator listens on unless told otherwise: loopback, since they accept any client. */
export const DEFAULT_HOST = "127.0.0.1";
