// How the defaults of a list of services are put together: `EMULATOR_DEFAULTS` is this, for the list.
import { configError } from "@auth-recipes/core/kit";
import { DEFAULT_HOST } from "./host.ts";
import type { ServiceEmulator } from "./service.ts";

/** The inbox server's port in the bin: not a service, so not in the list. */
export const INBOX_PORT = 4000;

/**
 * The defaults of a list of services: their ports under their keys (and the inbox's), their credentials
 * side by side. Throws when two services share a port, or a credential's name is taken, since one
 * would silently hide the other.
 */
export function defaultsOf(
  services: readonly Pick<ServiceEmulator, "key" | "defaults">[],
): Readonly<Record<string, unknown>> {
  const ports: Record<string, number> = {};
  const credentials: Record<string, string> = {};
  const taken = new Map<number, string>([[INBOX_PORT, "inbox"]]);
  for (const { key, defaults } of services) {
    if (key === "inbox" || Object.hasOwn(ports, key)) {
      throw configError("testing", `the service key "${key}" is taken`);
    }
    const holder = taken.get(defaults.port);
    if (holder !== undefined) {
      throw configError(
        "testing",
        `services "${holder}" and "${key}" both default to port ${defaults.port}`,
      );
    }
    taken.set(defaults.port, key);
    ports[key] = defaults.port;
    for (const [name, value] of Object.entries(defaults.credentials)) {
      if (name === "host" || name === "ports" || Object.hasOwn(credentials, name)) {
        throw configError("testing", `the credential name "${name}" of service "${key}" is taken`);
      }
      credentials[name] = value;
    }
  }
  ports.inbox = INBOX_PORT;
  return Object.freeze({ host: DEFAULT_HOST, ports: Object.freeze(ports), ...credentials });
}
