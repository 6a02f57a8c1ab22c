#!/usr/bin/env node
// The `auth-recipes-emulators` bin: the emulators on fixed ports for local development and demos,
// the environment variables that point an app at them, and a JSON inbox of what each one received.
import { parseArgs } from "node:util";
import { EMULATOR_DEFAULTS } from "./defaults.ts";
import { startEmulators } from "./emulators.ts";
import { emulatorEnvironment } from "./environment.ts";
import { serveInbox } from "./inbox-server.ts";

const { host: DEFAULT_HOST, ports: DEFAULT_PORTS } = EMULATOR_DEFAULTS;
const PORTS = {
  inbox: { flag: "inbox-port", env: "AUTH_RECIPES_INBOX_PORT", default: DEFAULT_PORTS.inbox },
  smtp: { flag: "smtp-port", env: "AUTH_RECIPES_SMTP_PORT", default: DEFAULT_PORTS.smtp },
  slack: { flag: "slack-port", env: "AUTH_RECIPES_SLACK_PORT", default: DEFAULT_PORTS.slack },
  stripe: { flag: "stripe-port", env: "AUTH_RECIPES_STRIPE_PORT", default: DEFAULT_PORTS.stripe },
  segment: {
    flag: "segment-port",
    env: "AUTH_RECIPES_SEGMENT_PORT",
    default: DEFAULT_PORTS.segment,
  },
  resend: { flag: "resend-port", env: "AUTH_RECIPES_RESEND_PORT", default: DEFAULT_PORTS.resend },
} as const;
type Service = keyof typeof PORTS;

const INBOX = `http://${DEFAULT_HOST}:${DEFAULT_PORTS.inbox}/_inbox`;
const HELP = `Usage: auth-recipes-emulators [options]

Starts local emulators of SMTP, Slack, Stripe, Segment and Resend on ${DEFAULT_HOST}, prints the environment
variables that point an app at them, and serves what each one received as JSON:
  GET    ${INBOX}   everything received, per service
  DELETE ${INBOX}   forget it all and clear faults
Stop with Ctrl-C (SIGINT) or SIGTERM.

Options (each also read from the environment variable shown; a flag wins):
  --smtp-port <n>      SMTP port          AUTH_RECIPES_SMTP_PORT     default ${PORTS.smtp.default}
  --slack-port <n>     Slack Web API port AUTH_RECIPES_SLACK_PORT    default ${PORTS.slack.default}
  --stripe-port <n>    Stripe API port    AUTH_RECIPES_STRIPE_PORT   default ${PORTS.stripe.default}
  --segment-port <n>   Segment API port   AUTH_RECIPES_SEGMENT_PORT  default ${PORTS.segment.default}
  --resend-port <n>    Resend API port    AUTH_RECIPES_RESEND_PORT   default ${PORTS.resend.default}
  --inbox-port <n>     inbox port         AUTH_RECIPES_INBOX_PORT    default ${PORTS.inbox.default}
  --host <address>     listen address     AUTH_RECIPES_HOST          default ${DEFAULT_HOST}
  --json               print one JSON line ({ env, inbox }) instead of KEY=value lines
  -h, --help           show this help
Port 0 picks a free port (the output says which).`;

class UsageError extends Error {}

function port(service: Service, flags: Record<string, unknown>, env: NodeJS.ProcessEnv): number {
  const { flag, env: name, default: fallback } = PORTS[service];
  const given = (flags[flag] as string | undefined) ?? env[name];
  if (given === undefined || given === "") return fallback;
  const value = Number(given);
  if (!Number.isInteger(value) || value < 0 || value > 65_535) {
    throw new UsageError(`--${flag} (or ${name}) must be a port number from 0 to 65535`);
  }
  return value;
}

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  let flags: Record<string, unknown>;
  try {
    flags = parseArgs({
      args: argv,
      options: {
        ...Object.fromEntries(
          Object.values(PORTS).map(({ flag }) => [flag, { type: "string" as const }]),
        ),
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
    (Object.keys(PORTS) as Service[]).map((service) => [service, port(service, flags, env)]),
  ) as Record<Service, number>;

  const emulators = await startEmulators({
    host,
    smtp: { port: ports.smtp },
    slack: { port: ports.slack },
    stripe: { port: ports.stripe },
    segment: { port: ports.segment },
    resend: { port: ports.resend },
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
