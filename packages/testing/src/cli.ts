#!/usr/bin/env node
// The `auth-recipes-emulators` bin: every listed emulator on fixed ports for local development and demos,
// the environment variables that point an app at them, and a JSON inbox of what each one received.
import { parseArgs } from "node:util";
import { type PortSetting, portSettings, usage } from "./cli-usage.ts";
import { EMULATOR_DEFAULTS } from "./defaults.ts";
import { startEmulators } from "./emulators.ts";
import { emulatorEnvironment } from "./environment.ts";
import { serveInbox } from "./inbox-server.ts";
import { SERVICE_EMULATORS } from "./services.ts";

const { host: DEFAULT_HOST } = EMULATOR_DEFAULTS;
const PORTS = portSettings(SERVICE_EMULATORS, EMULATOR_DEFAULTS);
const HELP = usage(SERVICE_EMULATORS, EMULATOR_DEFAULTS);

class UsageError extends Error {}

function port(
  setting: PortSetting,
  flags: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
): number {
  const given = (flags[setting.flag] as string | undefined) ?? env[setting.env];
  if (given === undefined || given === "") return setting.default;
  const value = Number(given);
  if (!Number.isInteger(value) || value < 0 || value > 65_535) {
    throw new UsageError(
      `--${setting.flag} (or ${setting.env}) must be a port number from 0 to 65535`,
    );
  }
  return value;
}

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  let flags: Record<string, unknown>;
  try {
    flags = parseArgs({
      args: argv,
      options: {
        ...Object.fromEntries(PORTS.map(({ flag }) => [flag, { type: "string" as const }])),
        host: { type: "string" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (flags.help) {
    console.log(HELP);
    return;
  }
  const host = (flags.host as string | undefined) ?? env.AUTH_RECIPES_HOST ?? DEFAULT_HOST;
  const ports = Object.fromEntries(
    PORTS.map((setting) => [setting.key, port(setting, flags, env)]),
  ) as Record<string, number>;

  const emulators = await startEmulators({
    host,
    ...Object.fromEntries(SERVICE_EMULATORS.map(({ key }) => [key, { port: ports[key] }])),
  });
  let inbox: Awaited<ReturnType<typeof serveInbox>>;
  try {
    inbox = await serveInbox(emulators, { host, port: ports.inbox });
  } catch (error) {
    await emulators.close();
    throw error;
  }

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second Ctrl-C: the user wants out now.
      process.exit(1);
    }
    stopping = true;
    console.error(`auth-recipes-emulators: ${signal}, stopping`);
    await Promise.all([inbox.close(), emulators.close()]);
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);

  const variables = emulatorEnvironment(emulators, inbox.url);
  if (flags.json) {
    console.log(JSON.stringify({ env: variables, inbox: inbox.url }));
  } else {
    console.log("# auth-recipes emulators are running. Point your app at them with:");
    for (const [name, value] of Object.entries(variables)) console.log(`${name}=${value}`);
    console.log(`# What each one received: GET ${inbox.url} (DELETE to clear). Ctrl-C to stop.`);
  }
}

main(process.argv.slice(2), process.env).catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`auth-recipes-emulators: ${error.message}\n\n${HELP}`);
    process.exit(2);
  }
  const code = (error as { code?: string }).code;
  const message =
    code === "EADDRINUSE"
      ? `${(error as Error).message}: a port is taken; choose others with the --*-port flags`
      : String((error as Error)?.message ?? error);
  console.error(`auth-recipes-emulators: ${message}`);
  process.exit(1);
});
