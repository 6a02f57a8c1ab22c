// `npm run demo` (from the repository root): builds what is missing, starts the four emulators and the app
// on 127.0.0.1, says what to do, and stops everything on Ctrl-C. Installs nothing and needs no account.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative, resolve } from "node:path";
import { createInterface } from "node:readline";
import {
  appBuildIsStale,
  buildApp,
  buildPackages,
  RECIPE_PACKAGES,
  REPO_ROOT,
  stalePackages,
} from "./build.ts";
import { stopOnExit } from "./lifecycle.ts";
import { type NextServer, startNext } from "./next-server.ts";
import { APP_DIR, freePort, ownChild, portIsFree, stopServer } from "./processes.ts";
import { checkQueueMode, type QueueMode, startQueueMode } from "./queue-demo.ts";

const say = (line = "") => console.log(line);
const step = (line: string) => console.log(`\x1b[2m›\x1b[0m ${line}`);

/** What `auth-recipes-emulators --json` prints first. */
interface EmulatorsReady {
  env: Record<string, string>;
  inbox: string;
}

/** Each service's variables, keyed by the credential that means "use the real service". */
const SERVICES = [
  { name: "SMTP", credential: ["SMTP_URL", "EMAIL_SERVER"], prefix: ["SMTP_URL", "EMAIL_SERVER"] },
  { name: "Slack", credential: ["SLACK_TOKEN"], prefix: ["SLACK_"] },
  { name: "Stripe", credential: ["STRIPE_SECRET_KEY"], prefix: ["STRIPE_"] },
  { name: "Segment", credential: ["SEGMENT_WRITE_KEY"], prefix: ["SEGMENT_"] },
  { name: "PostHog", credential: ["POSTHOG_API_KEY"], prefix: ["POSTHOG_"] },
  // Only for the welcome email, and only when chosen (EMAIL_TRANSPORT=resend or RESEND_API_KEY).
  { name: "Resend", credential: ["RESEND_API_KEY"], prefix: ["RESEND_"] },
] as const;

/**
 * next start reads the app's .env files itself, but the variables given to it win over them: read them
 * here first, so that a real credential in `.env.local` is not shadowed by an emulator's.
 */
function loadEnvFiles(): void {
  for (const file of [".env.production.local", ".env.local", ".env.production", ".env"]) {
    const path = join(APP_DIR, file);
    // Never overrides a variable already set, as Next.js does.
    if (existsSync(path)) process.loadEnvFile(path);
  }
}

/** NEXTAUTH_SECRET: from the environment, or made once and kept in the git-ignored .data folder. */
function secret(): string {
  if (process.env.NEXTAUTH_SECRET) return process.env.NEXTAUTH_SECRET;
  const dir = join(APP_DIR, ".data");
  const file = join(dir, "nextauth-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dir, { recursive: true });
  const made = randomBytes(32).toString("base64url");
  writeFileSync(file, `${made}\n`, { mode: 0o600 });
  return made;
}

/** The emulators' bin, as `npx auth-recipes-emulators` runs it, from @auth-recipes/testing's build. */
function emulatorsBin(): string {
  const require = createRequire(join(APP_DIR, "package.json"));
  const manifest = require.resolve("@auth-recipes/testing/package.json");
  const { bin } = JSON.parse(readFileSync(manifest, "utf8")) as { bin: Record<string, string> };
  return join(manifest, "..", bin["auth-recipes-emulators"]!);
}

/** Starts the bin and resolves with the variables it prints, or rejects with what it said. */
function startEmulatorsBin(
  args: string[],
): Promise<{ child: ChildProcess; ready: EmulatorsReady }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [emulatorsBin(), "--json", ...args], {
      cwd: APP_DIR,
      stdio: ["ignore", "pipe", "pipe"],
    });
    ownChild(child);
    let errors = "";
    child.stderr?.on("data", (chunk) => {
      errors += chunk;
    });
    const lines = createInterface({ input: child.stdout! });
    lines.once("line", (line) => {
      try {
        resolve({ child, ready: JSON.parse(line) as EmulatorsReady });
      } catch {
        reject(new Error(`auth-recipes-emulators printed something unexpected: ${line}`));
      }
    });
    child.once("exit", (code) => reject(new Error(errors.trim() || `exited with code ${code}`)));
    child.once("error", reject);
  });
}

async function startEmulators(): Promise<{ child: ChildProcess; ready: EmulatorsReady }> {
  try {
    // Their fixed ports first (2525, 4000, 4010, 4020, 4030, or AUTH_RECIPES_*_PORT): the app's defaults.
    return await startEmulatorsBin([]);
  } catch (error) {
    if (!String((error as Error).message).includes("EADDRINUSE")) throw error;
    step("an emulator port is taken; using free ports instead");
    const any = [
      "smtp",
      "slack",
      "stripe",
      "segment",
      "posthog",
      "webhook",
      "resend",
      "inbox",
    ].flatMap((name) => [`--${name}-port`, "0"]);
    return startEmulatorsBin(any);
  }
}

/** `--fresh`: start with an empty database (the emulators always start empty). */
function removeDatabase(): void {
  const path = resolve(APP_DIR, process.env.DATABASE_PATH || join(".data", "app.db"));
  for (const file of [path, `${path}-wal`, `${path}-shm`]) rmSync(file, { force: true });
  step(`removed the database ${relative(REPO_ROOT, path)}`);
}

async function main(): Promise<void> {
  loadEnvFiles();
  const started = performance.now();

  // Whatever ends the demo (Ctrl-C, SIGTERM or SIGHUP to any process of the chain, the process that
  // started it exiting, a child dying) stops what it started so far, even while it still builds.
  let queue: QueueMode | undefined;
  let emulators: { child: ChildProcess; ready: EmulatorsReady } | undefined;
  let app: NextServer | undefined;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say(app ? "\nStopping the app and the emulators…" : "\nStopping…");
    const inboxPort = emulators ? Number(new URL(emulators.ready.inbox).port) : undefined;
    await Promise.all([
      app?.stop(),
      inboxPort && stopServer(inboxPort, emulators?.child),
      queue?.stop(),
    ]);
    // A build step, or a child started while the others stopped: the exit handler signals it too.
    say("Stopped.");
    process.exit(code);
  };
  stopOnExit(() => void stop(0));

  if (process.argv.includes("--fresh")) removeDatabase();
  // `--queue`: checked before anything is built, so a missing redis-server is said at once.
  const queued = process.argv.includes("--queue");
  if (queued) checkQueueMode();

  // 1. Build what is missing or out of date: the packages the app bundles, the emulators' bin, the app.
  // Nothing this file imports statically may import a workspace package: on a fresh clone their dist/
  // exists only after this step (test/launcher-imports.test.ts holds that).
  const stale = stalePackages(RECIPE_PACKAGES);
  if (stale.length) {
    step(`building ${stale.map((name) => `@auth-recipes/${name}`).join(", ")}`);
    await buildPackages(stale, true);
  }
  if (appBuildIsStale()) {
    step("building the app (next build, about a minute the first time)");
    await buildApp(undefined, true);
  }
  if (queued) queue = await startQueueMode(step);

  // 2. The emulators, for every service whose credential is not set.
  step("starting the emulators");
  emulators = await startEmulators();
  const real = SERVICES.filter((service) => service.credential.some((name) => process.env[name]));
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(emulators.ready.env)) {
    const owner = SERVICES.find((service) => service.prefix.some((p) => name.startsWith(p)));
    if (!owner || !real.includes(owner)) env[name] = value;
  }
  Object.assign(env, queue?.env);

  // 3. The app, on PORT or 3000 if free, else on any free port.
  const wanted = Number(process.env.PORT || 3000);
  const port = (await portIsFree(wanted)) ? wanted : await freePort();
  step("starting the app (next start)");
  app = await startNext({
    port,
    env: {
      ...env,
      NEXTAUTH_SECRET: secret(),
      AUTH_RECIPES_DEBUG: process.env.AUTH_RECIPES_DEBUG ?? "1",
    },
    onLine: (line) => {
      if (line.trim() && !/^\s*(▲|-|✓) /.test(line)) console.log(`\x1b[2m[app]\x1b[0m ${line}`);
    },
  });
  queue?.startWorker(env);

  // 4. Either child dying stops the other: the app by the process that listens.
  app.child.once("exit", () => {
    if (!stopping) console.error("The app stopped unexpectedly.");
    void stop(1);
  });
  emulators.child.once("exit", () => {
    if (!stopping) console.error("The emulators stopped unexpectedly.");
    void stop(1);
  });

  const emulated = SERVICES.filter((service) => !real.includes(service)).map((s) => s.name);
  const database = relative(
    REPO_ROOT,
    resolve(APP_DIR, process.env.DATABASE_PATH || join(".data", "app.db")),
  );
  say();
  say(
    `\x1b[1mThe auth-recipes demo is running\x1b[0m (ready in ${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
  say();
  say(`  App          ${app.origin}`);
  say(`  Deliveries   ${app.origin}/deliveries`);
  say(`  Database     ${database}`);
  if (queue) say(`  Queue        ${queue.describe()}`);
  say(
    `  Emulators    ${emulated.join(", ") || "none"}${real.length ? `; real: ${real.map((s) => s.name).join(", ")}` : ""} (inbox ${emulators.ready.inbox})`,
  );
  say();
  say(`  1. Open ${app.origin}/signin and enter any email address.`);
  say(`  2. Open ${app.origin}/deliveries and click the sign-in link the mail emulator received.`);
  say("  3. You are signed up: Deliveries shows the welcome email, the Slack message, the Stripe");
  say("     customer and the Segment calls; your account page shows your Stripe customer id.");
  say();
  say("  The app's log follows ([app]); each event prints how long each recipe took.");
  say(
    "  The emulators start empty each time; the database stays (`npm run demo -- --fresh` empties it).",
  );
  say("  Ctrl-C stops everything.");
  say();
}

main().catch((error: unknown) => {
  console.error(`\nnpm run demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
