import {
  emulatorEnvironment,
  type Emulators as Started,
  serveInbox,
  startEmulators,
} from "@auth-recipes/testing";

/** The four emulators, in this process so a test can inject faults, and the app's variables for them. */
export interface Emulators extends Started {
  /** The app's variables that point it at these emulators and their inbox. */
  env: Record<string, string>;
}

/**
 * Starts the four emulators on free ports, and their inbox. Every variable a service reads is set, so
 * real credentials in the tester's environment never turn a test into a real delivery.
 */
export async function startAll(): Promise<Emulators> {
  const emulators = await startEmulators();
  const inbox = await serveInbox(emulators);
  const closeEmulators = emulators.close;
  return Object.assign(emulators, {
    env: emulatorEnvironment(emulators, inbox.url),
    close: async () => {
      await Promise.all([inbox.close(), closeEmulators()]);
    },
  });
}
