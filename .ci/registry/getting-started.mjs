#!/usr/bin/env node
// The Getting started pages, as printed: each page's "Start a new app" section is read from its markdown
// and followed, step by step, in a brand-new folder, the way a new user follows it.
//
// 1. The packages are released to a local Verdaccio exactly as the registry test does (harness.mjs:
//    changesets on a throwaway clone); npm gets the @auth-recipes scope from it, everything else from
//    the npm registry, as a user's npm would once the packages are published.
// 2. The section's blocks, in page order: a fence or an include (`<<< @/snippets/x.ts [lib/auth.ts]`)
//    whose label names a file is written to that file (includes resolved to the snippet files); every
//    other line of a `sh` block is a command, run as printed in the folder the page's `cd` lines reach.
//    Three commands cannot run to completion, and are run as a user runs them in a second terminal:
//    - `npx auth-recipes-emulators`: started (free ports, through its own AUTH_RECIPES_*_PORT variables),
//      and the variables it prints are added to the env file the page wrote last, as the page says;
//    - the page's start command (`npx next dev`, `npx tsx … server.ts`): for next, `next build` then
//      `next start` on 127.0.0.1; otherwise the command as printed, with PORT set to a free port;
//    - `curl` to the app: as printed, with the page's origin (127.0.0.1:3000, localhost:3000) replaced
//      by the app's.
//    So a block or a command changed on the page changes what runs here.
// 3. A sign-up: in Chromium through next-auth's sign-in page (the sign-in link from the SMTP emulator,
//    opened in the browser), or the page's own curl for better-auth; then the welcome email to that
//    address at the SMTP emulator.
//
// Writes .ci/results/getting-started.json (Vitest's shape) and ends with `getting-started: N passed,
// M failed`. Bounded: every command has a timeout, and the whole run stops after 30 minutes.
import { spawn } from "node:child_process";
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { createHarness, ROOT } from "./harness.mjs";

const {
  work,
  npmEnv,
  children,
  results,
  check,
  run,
  freePort,
  installVerdaccio,
  startVerdaccio,
  release,
  finish,
} = createHarness("getting-started", { timeoutMs: 1_800_000 });
const { chromium } = createRequire(join(ROOT, "docs", "package.json"))("playwright-core");

const SECTION = "## Start a new app";
// A fence: ```sh, or ```ini [.env.local]. An include: <<< @/snippets/x.ts [lib/auth.ts] (VitePress's
// syntax: an optional #region and {lines lang}, then the title; the title may hold brackets).
const FENCE = /^```(\w*)(?:\s+\[(.+)\])?\s*$/;
const INCLUDE = /^<<< @\/(\S+?)(#[\w-]+)?(?:\s*\{[^}]*\})?(?:\s+\[(.+)\])?\s*$/;

/** The section's steps in page order: files to write and command lines to run. */
function stepsOf(markdown, docsRoot) {
  const start = markdown.indexOf(`\n${SECTION}\n`);
  if (start < 0) throw new Error(`the page has no "${SECTION}" section`);
  const rest = markdown.slice(start + SECTION.length + 2);
  const end = rest.search(/^## /m);
  const lines = (end < 0 ? rest : rest.slice(0, end)).split("\n");
  const steps = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const include = INCLUDE.exec(line);
    if (include) {
      const [, path, region, label] = include;
      if (!label) throw new Error(`\`${line}\` names no file: give it a [path] label`);
      if (region) throw new Error(`\`${line}\`: a region is part of a file, not a file to write`);
      steps.push({ file: label, content: readFileSync(join(docsRoot, path), "utf8") });
      continue;
    }
    const fence = FENCE.exec(line);
    if (!fence) continue;
    const body = [];
    for (i++; i < lines.length && !lines[i].startsWith("```"); i++) body.push(lines[i]);
    const [, lang, label] = fence;
    if (label) steps.push({ file: label, content: `${body.join("\n")}\n` });
    else if (["sh", "bash", "shell"].includes(lang)) {
      for (const command of body.map((l) => l.trim()).filter((l) => l && !l.startsWith("#"))) {
        steps.push({ command });
      }
    }
  }
  return steps;
}

/** Starts a long-running command in its own process group; its output goes to `log`. */
function startDetached(command, { cwd, env, log, state }) {
  const child = spawn("bash", ["-c", command], {
    cwd,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  state.started.push(child);
  child.output = "";
  const keep = (chunk) => {
    child.output += chunk;
    appendFileSync(log, chunk);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  return child;
}

async function waitFor(what, probe, ms = 60_000, child) {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (child && child.exitCode !== null)
      throw new Error(
        `${what}: the process exited (${child.exitCode}):\n${child.output.slice(-3000)}`,
      );
    if (Date.now() > until)
      throw new Error(
        `timed out waiting for ${what}${child ? `:\n${child.output.slice(-3000)}` : ""}`,
      );
    await new Promise((wake) => setTimeout(wake, 250));
  }
}

/** The mails the SMTP emulator holds for an address. */
async function mailsTo(inbox, email) {
  const { smtp } = await (await fetch(inbox)).json();
  return smtp.messages.filter((mail) => mail.envelope.to.includes(email));
}

const SIGN_IN_LINK = /https?:\/\/\S+\/api\/auth\/callback\/email\?\S+/;

/** The welcome email to `email` (a mail that is not a sign-in link), once it has arrived. */
function welcomeEmail(inbox, email) {
  return waitFor(`the welcome email to ${email} at the SMTP emulator`, async () =>
    (await mailsTo(inbox, email)).find(
      (mail) => !SIGN_IN_LINK.test(mail.text) && /welcome/i.test(mail.subject),
    ),
  );
}

/** Chromium (Debian's), flags from TOOLCHAIN.md, a fresh profile. */
async function launchBrowser() {
  const profile = join(work, `chromium-${Date.now()}`);
  mkdirSync(profile);
  return chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** next-auth's own sign-in page, an address, the link from the SMTP emulator opened in the browser. */
async function signUpInBrowser({ origin, inbox }) {
  const email = `newcomer-${Date.now().toString(36)}@example.test`;
  const context = await launchBrowser();
  try {
    const page = await context.newPage();
    await page.goto(`${origin}/api/auth/signin`);
    await page.locator('input[type="email"]').fill(email);
    await page.getByRole("button", { name: /sign in with email/i }).click();
    await page.waitForURL(/\/api\/auth\/verify-request/, { timeout: 30_000 });
    const link = await waitFor(`the sign-in email to ${email}`, async () => {
      for (const mail of await mailsTo(inbox, email)) {
        const found = SIGN_IN_LINK.exec(mail.text)?.[0];
        if (found) return found;
      }
    });
    await page.goto(link);
    await page.waitForURL((url) => !url.pathname.startsWith("/api/auth/"), { timeout: 30_000 });
    const mail = await welcomeEmail(inbox, email);
    return `(welcome email "${mail.subject}" to ${email})`;
  } finally {
    await context.close();
  }
}

/**
 * Follows one page in a new folder. `app` says how the page's app is started and signed up with:
 * `start` matches the page's start command, `serve` starts it, and `signUp` (optional) signs up after
 * the steps; a page whose steps sign up themselves (curl) names the address in `signedUp`.
 */
async function followPage(name, pagePath, registry, app) {
  // The two pages run at once, each printing its lines when it is done.
  const lines = [];
  const print = (line) => lines.push(line);
  try {
    await followPageIn(name, pagePath, registry, app, print);
  } finally {
    console.log(lines.join("\n"));
  }
}

async function followPageIn(name, pagePath, registry, app, print) {
  const root = join(work, name);
  mkdirSync(root);
  const steps = stepsOf(readFileSync(join(ROOT, pagePath), "utf8"), join(ROOT, "docs"));
  const env = {
    ...npmEnv,
    // The project's scope from the local registry; npm keeps the rest of the user's configuration.
    "npm_config_@auth-recipes:registry": `${registry.url}/`,
    NEXT_TELEMETRY_DISABLED: "1",
  };
  const state = { cwd: root, envFile: undefined, origin: undefined, inbox: undefined, started: [] };
  try {
    await followSteps(name, steps, state, env, app, print);
  } finally {
    // The page's emulators and server, each a process group of its own (npx, node, next-server).
    for (const child of state.started) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {}
      children.delete(child);
    }
  }
}

async function followSteps(name, steps, state, env, app, print) {
  let step = 0;
  for (const s of steps) {
    step++;
    const label = s.file ? `writes ${s.file}` : `runs \`${s.command}\``;
    let ok = true;
    await check(
      `${name}: step ${step}, ${label}`,
      async () => {
        if (s.file) {
          const file = resolve(state.cwd, s.file);
          mkdirSync(dirname(file), { recursive: true });
          writeFileSync(file, s.content);
          if (/^\.env/.test(s.file)) state.envFile = file;
          return;
        }
        const cd = /^cd\s+(\S+)$/.exec(s.command);
        if (cd) {
          state.cwd = resolve(state.cwd, cd[1]);
          return;
        }
        if (/^npx auth-recipes-emulators\b/.test(s.command))
          return startEmulators(s.command, state, env);
        if (app.start.test(s.command)) return app.serve(s.command, state, env);
        if (/^curl\s/.test(s.command)) return curl(s.command, state, env, app);
        await run("bash", ["-c", s.command], {
          cwd: state.cwd,
          env,
          // better-sqlite3 builds from source (it would download a prebuilt binary): minutes on 2 cores.
          timeoutMs: 900_000,
          name: `${name}-${s.command.slice(0, 40)}`,
        });
      },
      print,
    );
    ok = results.at(-1).status === "passed";
    if (!ok) return;
  }
  if (!state.origin) {
    await check(
      `${name}: a step of the page starts the app (${app.start})`,
      () => {
        throw new Error("none did");
      },
      print,
    );
    return;
  }
  if (app.signUp) {
    await check(
      `${name}: a sign-up in Chromium delivers the welcome email at the emulator`,
      () => app.signUp(state),
      print,
    );
  } else {
    await check(
      `${name}: the page's sign-up delivered the welcome email at the emulator`,
      async () => {
        if (!state.signedUp) throw new Error("no step of the page signed up");
        const mail = await welcomeEmail(state.inbox, state.signedUp);
        return `(welcome email "${mail.subject}" to ${state.signedUp})`;
      },
      print,
    );
  }
}

async function startEmulators(command, state, env) {
  // Every port the installed bin reads from the environment, as its own --help lists them: the two
  // pages run at once, so none may be left on its default.
  const help = await run("bash", ["-c", `${command} --help`], {
    cwd: state.cwd,
    env,
    timeoutMs: 60_000,
    name: "emulators --help",
    stdoutOnly: true,
  });
  const portVariables = [...new Set(help.match(/\bAUTH_RECIPES_[A-Z0-9_]+_PORT\b/g) ?? [])];
  if (portVariables.length < 2) {
    throw new Error(`the emulators' --help lists no port variables:\n${help}`);
  }
  const ports = Object.fromEntries(portVariables.map((name) => [name, "0"]));
  const child = startDetached(command, {
    cwd: state.cwd,
    env: { ...env, ...ports },
    log: join(work, "logs", "emulators.log"),
    state,
  });
  const inbox = await waitFor(
    "the emulators' banner",
    async () => /# What each one received: GET (\S+)/.exec(child.output)?.[1],
    60_000,
    child,
  );
  const variables = child.output
    .split("\n")
    .filter((line) => /^[A-Z][A-Z0-9_]*=/.test(line))
    .join("\n");
  if (!state.envFile) throw new Error("the page wrote no .env file before starting the emulators");
  // "add those lines to .env.local", as the page says.
  appendFileSync(state.envFile, `\n${variables}\n`);
  state.inbox = inbox;
  return `(${variables.split("\n").length} variables added to ${state.envFile.split("/").pop()})`;
}

async function curl(command, state, env) {
  if (!state.origin) throw new Error("curl before the app was started");
  const line = command.replace(/https?:\/\/(?:127\.0\.0\.1|localhost):3000/g, state.origin);
  const output = await run("bash", ["-c", line], {
    cwd: state.cwd,
    env,
    timeoutMs: 60_000,
    name: "curl",
    // curl prints its progress meter on stderr when its output is not a terminal.
    stdoutOnly: true,
  });
  const reply = JSON.parse(output);
  const email = /"email"\s*:\s*"([^"]+)"/.exec(command)?.[1];
  if (!reply?.user?.id || reply.user.email !== email)
    throw new Error(`the sign-up was refused: ${output.slice(0, 500)}`);
  state.signedUp = email;
  return `(user ${reply.user.id})`;
}

/** Waits until `origin` answers HTTP (any status). */
function answering(origin, child) {
  return waitFor(
    `${origin} to answer`,
    async () => ((await fetch(origin)).status ? true : undefined),
    120_000,
    child,
  );
}

const NEXT_AUTH_APP = {
  start: /^(?:npx next dev|npm run dev)\b/,
  async serve(_command, state, env) {
    await run("npx", ["next", "build"], {
      cwd: state.cwd,
      env,
      timeoutMs: 900_000,
      name: "next-build",
    });
    const port = await freePort();
    state.origin = `http://127.0.0.1:${port}`;
    // The browser's origin is 127.0.0.1 here: next-auth builds its links from NEXTAUTH_URL, and the
    // environment wins over .env.local.
    const child = startDetached(`npx next start -H 127.0.0.1 -p ${port}`, {
      cwd: state.cwd,
      env: { ...env, NEXTAUTH_URL: state.origin },
      log: join(work, "logs", "next-start.log"),
      state,
    });
    await answering(state.origin, child);
    return `(next build, then next start on ${state.origin})`;
  },
  signUp: (state) => signUpInBrowser(state),
};

const BETTER_AUTH_APP = {
  start: /^npx tsx\b.*server\.ts$/,
  async serve(command, state, env) {
    const port = await freePort();
    state.origin = `http://127.0.0.1:${port}`;
    const child = startDetached(command, {
      cwd: state.cwd,
      env: { ...env, PORT: String(port), BETTER_AUTH_URL: state.origin },
      log: join(work, "logs", "better-auth-server.log"),
      state,
    });
    await answering(state.origin, child);
    return `(on ${state.origin})`;
  },
};

try {
  const started = Date.now();
  const { bin } = await installVerdaccio();
  const registry = await startVerdaccio(bin);
  console.log(`verdaccio on ${registry.url} (${Date.now() - started} ms)`);
  let released;
  await check("changeset version, then pnpm release, on a throwaway clone", async () => {
    released = await release(registry);
    return `(${released.packages.length} packages)`;
  });
  if (released) {
    // The two pages at once: each builds better-sqlite3 from source on one core, and waits on npm.
    await Promise.all([
      followPage("next-auth", "docs/guide/getting-started.md", registry, NEXT_AUTH_APP),
      followPage("better-auth", "docs/guide/better-auth.md", registry, BETTER_AUTH_APP),
    ]);
  }
  console.log(`getting-started pages: ${Math.round((Date.now() - started) / 1000)} s`);
  finish(0);
} catch (error) {
  console.log(String(error?.stack ?? error));
  finish(1);
}
