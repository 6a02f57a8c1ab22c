import type { ServiceEmulator } from "./emulator/service.ts";
import type { Emulator, RecordedRequest } from "./emulator/types.ts";
import { type EmulatorOf, SERVICE_EMULATORS, type ServiceKey, type ServiceOf } from "./services.ts";

/**
 * Options for {@link startEmulators}: a host for all of them, and each emulator's own options under its
 * key (`smtp`, `slack`, `stripe`, `segment`, … as listed in `SERVICE_EMULATORS`).
 */
export type StartEmulatorsOptions = {
  /**
   * The address every emulator listens on (an emulator's own `host` wins). Keep it on loopback.
   * @default "127.0.0.1"
   */
  host?: string;
} & { [K in ServiceKey]?: Parameters<ServiceOf<K>["start"]>[0] };

/** A request as the inbox shows it: its `Authorization` header masked. */
export type InboxRequest = RecordedRequest;

/** What every emulator received, as plain JSON, under its key: the body of the bin's `GET /_inbox`. */
export type EmulatorsInbox = { [K in ServiceKey]: ReturnType<ServiceOf<K>["inbox"]> };

/**
 * Every listed emulator, started together, under its key: `emulators.smtp` (`createTransport(
 * emulators.smtp.clientOptions)` or the URL `emulators.smtp.smtpUrl`), `emulators.slack` (`new WebClient(
 * emulators.slack.token, emulators.slack.clientOptions)`), `emulators.stripe` (`new Stripe(
 * emulators.stripe.apiKey, emulators.stripe.clientOptions)`), `emulators.segment` (`new Analytics({
 * writeKey: emulators.segment.writeKey, ...emulators.segment.clientOptions })`), and so on.
 */
export type Emulators = { readonly [K in ServiceKey]: EmulatorOf<K> } & {
  /** Everything each emulator received, as JSON-ready data. */
  inbox(): EmulatorsInbox;
  /**
   * Resets all of them: forgets what they received and clears their faults (`fail`, `delay`, `hang`). An
   * emulator stopped with `down()` stays down until its `up()`, which is async.
   */
  reset(): void;
  /** Closes all of them. Never hangs. */
  close(): Promise<void>;
};

/**
 * Starts every listed emulator (SMTP, Slack, Stripe, Segment, …) on 127.0.0.1 (free ports unless given),
 * for a test of a whole `events` configuration or for local development. If one fails to start, the
 * others are closed and the error is thrown.
 *
 * @example
 * ```ts
 * const emulators = await startEmulators();
 * const events = composeEvents([
 *   welcomeEmail({ transport: emulators.smtp.smtpUrl, from: "hello@acme.test" }),
 *   slackNotify({ client: new WebClient(emulators.slack.token, emulators.slack.clientOptions), channel: "#signups" }),
 * ]);
 * await events.createUser!(defaultMessage("createUser"));
 * emulators.smtp.messages.length; // 1
 * await emulators.close();
 * ```
 */
export async function startEmulators(options: StartEmulatorsOptions = {}): Promise<Emulators> {
  return (await startServices(SERVICE_EMULATORS, options)) as unknown as Emulators;
}

/**
 * Starts each of `services` under its key, with `startEmulators`' result around them: what
 * `startEmulators` does for the list. Not public: the tests pass a list with one more service in it.
 */
export async function startServices(
  services: readonly ServiceEmulator[],
  options: { host?: string | undefined } & { [key: string]: unknown } = {},
): Promise<
  Record<string, unknown> & {
    inbox(): Record<string, unknown>;
    reset(): void;
    close(): Promise<void>;
  }
> {
  const host = options.host ? { host: options.host } : {};
  const started = await Promise.allSettled(
    services.map((service) => service.start({ ...host, ...(options[service.key] as object) })),
  );
  const failed = started.find((result) => result.status === "rejected");
  if (failed) {
    await Promise.all(
      started.map((result) => (result.status === "fulfilled" ? result.value.close() : undefined)),
    );
    throw failed.reason;
  }
  const running = started.map((result) => (result as PromiseFulfilledResult<Emulator>).value);
  const byKey = Object.fromEntries(services.map((service, index) => [service.key, running[index]]));
  return {
    ...byKey,
    inbox: () =>
      Object.fromEntries(
        services.map((service, index) => [service.key, service.inbox(running[index]!)]),
      ),
    reset() {
      for (const emulator of running) emulator.reset();
    },
    async close() {
      await Promise.all(running.map((emulator) => emulator.close()));
    },
  };
}
