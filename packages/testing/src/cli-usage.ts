// The `auth-recipes-emulators` bin's flags and help, as functions of a list of services and its
// defaults: the bin passes `SERVICE_EMULATORS` and `EMULATOR_DEFAULTS`, the tests a longer list.
import type { ServiceEmulator } from "./emulator/service.ts";

/** A port the bin listens on: one per listed service, and the inbox's. */
export interface PortSetting {
  /** The service's key, or `inbox`. */
  key: string;
  /** What the help calls it, such as `Slack Web API`. */
  title: string;
  /** The flag without its dashes, such as `slack-port`. */
  flag: string;
  /** The environment variable read when the flag is not given, such as `AUTH_RECIPES_SLACK_PORT`. */
  env: string;
  /** The port when neither is given. */
  default: number;
}

/** What the bin's flags and help are derived from. */
export interface UsageDefaults {
  host: string;
  ports: Readonly<Record<string, number>>;
}

/** The bin's port settings: each service's, in the list's order, then the inbox's. */
export function portSettings(
  services: readonly Pick<ServiceEmulator, "key" | "title">[],
  defaults: UsageDefaults,
): PortSetting[] {
  return [
    ...services.map(({ key, title }) => ({ key, title })),
    { key: "inbox", title: "inbox" },
  ].map(({ key, title }) => ({
    key,
    title,
    flag: `${key}-port`,
    env: `AUTH_RECIPES_${key.toUpperCase().replaceAll("-", "_")}_PORT`,
    default: defaults.ports[key] as number,
  }));
}

const column = (text: string, width: number) => text.padEnd(width);

/** The bin's `--help`. */
export function usage(
  services: readonly Pick<ServiceEmulator, "key" | "title">[],
  defaults: UsageDefaults,
): string {
  const inbox = `http://${defaults.host}:${defaults.ports.inbox}/_inbox`;
  const ports = portSettings(services, defaults);
  // As wide as the longest entry of the list, so a long service title keeps the columns apart.
  const flagWidth = Math.max(22, ...ports.map((port) => `--${port.flag} <n>`.length));
  const titleWidth = Math.max(20, ...ports.map((port) => `${port.title} port`.length));
  const envWidth = Math.max(30, ...ports.map((port) => port.env.length + 1));
  const row = (flag: string, title: string, env: string, value: string | number) =>
    `  ${column(flag, flagWidth)} ${column(title, titleWidth)} ${column(env, envWidth)} default ${value}`;
  return `Usage: auth-recipes-emulators [options]

Starts local emulators of ${services.map(({ title }) => title).join(", ")} on ${defaults.host},
prints the environment variables that point an app at them, and serves what each one received as JSON:
  GET    ${inbox}   everything received, per service
  DELETE ${inbox}   forget it all and clear faults
Stop with Ctrl-C (SIGINT) or SIGTERM.

Options (each also read from the environment variable shown; a flag wins):
${ports.map((port) => row(`--${port.flag} <n>`, `${port.title} port`, port.env, port.default)).join("\n")}
${row("--host <address>", "listen address", "AUTH_RECIPES_HOST", defaults.host)}
  ${column("--json", flagWidth)} print one JSON line ({ env, inbox }) instead of KEY=value lines
  ${column("-h, --help", flagWidth)} show this help
Port 0 picks a free port (the output says which).`;
}
