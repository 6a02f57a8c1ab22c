// The list of emulators is the only place a service is named: its defaults, the bin's flags and help,
// the environment and the inbox are derived from it. A throwaway service added to a copy of the list
// shows up in each, with no other edit; and `/defaults` reads the list without loading an emulator.
import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { portSettings, usage } from "../src/cli-usage.ts";
import { defaultsOf } from "../src/emulator/defaults.ts";
import { startServices } from "../src/emulators.ts";
import { emulatorEnvironment, environmentOf } from "../src/environment.ts";
import {
  EMULATOR_DEFAULTS,
  type Emulator,
  type Emulators,
  SERVICE_EMULATORS,
  type ServiceEmulator,
  startEmulators,
  startHttpEmulator,
} from "../src/index.ts";

const SRC = fileURLToPath(new URL("../src/", import.meta.url));

/** A made-up service, as a new folder's `service.ts` would declare it. */
const acmeCrm: ServiceEmulator<
  "acme-crm",
  Emulator,
  { host?: string; port?: number },
  { url: string; requests: number },
  { acmeCrmApiKey: string }
> = {
  key: "acme-crm",
  title: "Acme CRM API",
  defaults: { port: 4070, credentials: { acmeCrmApiKey: "acme_emulator_key" } },
  start: (options) => startHttpEmulator(options, () => ({ status: 201, body: { id: "c_1" } })),
  environment: (crm) => ({ ACME_CRM_URL: crm.url }),
  inbox: (crm) => ({ url: crm.url, requests: crm.requests.length }),
};
const LONGER: readonly ServiceEmulator[] = [...SERVICE_EMULATORS, acmeCrm];
const KEYS = SERVICE_EMULATORS.map(({ key }) => key);

describe("the list of emulators", () => {
  it("gives EMULATOR_DEFAULTS its ports and credentials, from each service's folder", () => {
    expect(Object.keys(EMULATOR_DEFAULTS.ports)).toEqual([...KEYS, "inbox"]);
    for (const { key, defaults } of SERVICE_EMULATORS) {
      expect(EMULATOR_DEFAULTS.ports[key]).toBe(defaults.port);
      expect(EMULATOR_DEFAULTS).toMatchObject(defaults.credentials);
    }
    const credentials = SERVICE_EMULATORS.flatMap(({ defaults }) =>
      Object.keys(defaults.credentials),
    );
    expect(Object.keys(EMULATOR_DEFAULTS).sort()).toEqual(["host", "ports", ...credentials].sort());
    expect(Object.isFrozen(EMULATOR_DEFAULTS) && Object.isFrozen(EMULATOR_DEFAULTS.ports)).toBe(
      true,
    );
  });

  it("puts a service added to the list in the defaults, the bin's flags and help, the environment and the inbox", async () => {
    const defaults = defaultsOf(LONGER) as typeof EMULATOR_DEFAULTS & {
      ports: Record<string, number>;
      acmeCrmApiKey: string;
    };
    expect(defaults).toEqual({
      ...EMULATOR_DEFAULTS,
      ports: { ...EMULATOR_DEFAULTS.ports, "acme-crm": 4070 },
      acmeCrmApiKey: "acme_emulator_key",
    });

    const flags = portSettings(LONGER, defaults);
    expect(flags.map(({ flag }) => flag)).toEqual(
      [...KEYS, "acme-crm", "inbox"].map((key) => `${key}-port`),
    );
    expect(flags).toContainEqual({
      key: "acme-crm",
      title: "Acme CRM API",
      flag: "acme-crm-port",
      env: "AUTH_RECIPES_ACME_CRM_PORT",
      default: 4070,
    });
    const help = usage(LONGER, defaults);
    expect(help).toMatch(
      /^ {2}--acme-crm-port <n> +Acme CRM API port +AUTH_RECIPES_ACME_CRM_PORT +default 4070$/m,
    );
    expect(help).toMatch(/emulators of SMTP, .*, Acme CRM API on 127\.0\.0\.1/);

    const running = await startServices(LONGER);
    try {
      const crm = running["acme-crm"] as Emulator;
      const environment = environmentOf(LONGER, running, "http://127.0.0.1:1/_inbox");
      expect(environment.ACME_CRM_URL).toBe(crm.url);
      expect(environment).toMatchObject(emulatorEnvironment(running as unknown as Emulators));
      expect((await fetch(`${environment.ACME_CRM_URL}/contacts`, { method: "POST" })).status).toBe(
        201,
      );
      const inbox = running.inbox();
      expect(Object.keys(inbox)).toEqual([...KEYS, "acme-crm"]);
      expect(inbox["acme-crm"]).toEqual({ url: crm.url, requests: 1 });
      running.reset();
      expect(running.inbox()["acme-crm"]).toEqual({ url: crm.url, requests: 0 });
    } finally {
      await running.close();
    }
  });

  it("starts, inboxes and points an app at exactly the listed services", async () => {
    const emulators = await startEmulators();
    try {
      expect(Object.keys(emulators.inbox())).toEqual(KEYS);
      const variables = emulatorEnvironment(emulators);
      const expected = Object.assign(
        {},
        ...SERVICE_EMULATORS.map((service) =>
          (service.environment as (emulator: unknown) => Record<string, string>)(
            emulators[service.key],
          ),
        ),
      );
      expect(variables).toEqual(expected);
    } finally {
      await emulators.close();
    }
  });

  it("refuses a list where two services share a port, a credential's name or a key", () => {
    const clash = (change: Partial<ServiceEmulator>) => () =>
      defaultsOf([...SERVICE_EMULATORS, { ...acmeCrm, ...change } as ServiceEmulator]);
    expect(clash({ defaults: { port: EMULATOR_DEFAULTS.ports.slack, credentials: {} } })).toThrow(
      /^\[auth-recipes\/testing\] services "slack" and "acme-crm" both default to port 4010$/,
    );
    expect(clash({ defaults: { port: 4000, credentials: {} } })).toThrow(/"inbox" and "acme-crm"/);
    expect(clash({ defaults: { port: 4070, credentials: { slackToken: "x" } } })).toThrow(
      /the credential name "slackToken" of service "acme-crm" is taken/,
    );
    expect(clash({ defaults: { port: 4070, credentials: { host: "x" } } })).toThrow(TypeError);
    expect(clash({ key: "slack" })).toThrow(/the service key "slack" is taken/);
    expect(clash({ key: "inbox" })).toThrow(/the service key "inbox" is taken/);
  });

  it("lets @auth-recipes/testing/defaults load without an emulator or a Node module", () => {
    // Every module `src/defaults.ts` reaches through static value imports (type imports are erased, and
    // each service imports its emulator only when started).
    const reached = new Set<string>();
    const external = new Set<string>();
    const visit = (file: string) => {
      if (reached.has(file)) return;
      reached.add(file);
      const source = readFileSync(file, "utf8");
      for (const [, specifier] of source.matchAll(
        /^import\s+(?!type\b)[^;]*?from\s+"([^"]+)";/gms,
      )) {
        if (specifier!.startsWith(".")) visit(join(dirname(file), specifier!));
        else external.add(specifier!);
      }
    };
    visit(join(SRC, "defaults.ts"));
    expect([...external]).toEqual(["@auth-recipes/core/kit"]);
    const files = [...reached].map((file) => relative(SRC, file)).sort();
    expect(
      files.filter(
        (file) => !/^(defaults|services|emulator\/.*|[\w-]+\/(defaults|service))\.ts$/.test(file),
      ),
    ).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(["slack/defaults.ts", "slack/service.ts"]));
    expect(files).not.toContain("slack/api.ts");
    expect(files).not.toContain("emulator/listener.ts");
  });
});
