#!/usr/bin/env node
// The README's Quick start, as printed, on the clone CI runs in (run it before anything is installed or
// built: that is the state a new user clones). The two command lines are read from README.md's Quick
// start code block, so what the README prints is what runs:
//
// 1. The first line, in a process group of its own (as a terminal runs it), until 127.0.0.1:3000 answers.
// 2. A sign-up through the app over HTTP, as a browser's form does (the CSRF token, the email sign-in
//    post, the sign-in link from the emulators' inbox), and the welcome email at the inbox.
// 3. Ctrl-C: SIGINT to the process group; nothing it started may still listen on 3000, 2525, 4000-4030.
// 4. Stopping by the pid a process manager or an IDE holds: `npm run demo` again, SIGTERM to the npm
//    process alone; then `npm run demo -- --queue` (redis-server, the worker), SIGINT to npm alone. Every
//    process under npm must be gone, and nothing may listen on the demo's ports.
//
// `node .ci/quickstart.mjs --line N` prints the Quick start's line N (1-based) and exits: `.ci/run` runs
// the second line with it. Writes .ci/results/quickstart.json (numPassedTests/numFailedTests, which
// .ci/run's summary adds up) and exits 1 when a check failed. Linux only (/proc).
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { stripVTControlCharacters } from "node:util";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const ORIGIN = "http://127.0.0.1:3000";
const INBOX = "http://127.0.0.1:4000/_inbox";
/** The app, the SMTP emulator, and the inbox and HTTP emulators' range. */
const DEMO_PORTS = [3000, 2525, ...Array.from({ length: 31 }, (_, i) => 4000 + i)];
/** A cold clone installs the workspace, builds seven packages and runs `next build`: on a busy runner. */
const COLD_START_MS = 15 * 60_000;
const WARM_START_MS = 3 * 60_000;
const STOP_MS = 30_000;

/** The command lines of README.md's Quick start code block, in order. */
export function quickStartLines(readme = readFileSync(join(ROOT, "README.md"), "utf8")) {
  const section = /^## Quick start\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1];
  const block = section && /^```(?:sh|bash|shell)\n([\s\S]*?)^```/m.exec(section)?.[1];
  if (!block) throw new Error("README.md has no ```sh code block under ## Quick start");
  return block
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"));
}

const lineArg = process.argv.indexOf("--line");
if (lineArg !== -1) {
  const lines = quickStartLines();
  const line = lines[Number(process.argv[lineArg + 1]) - 1];
  if (!line) {
    console.error(`README.md's Quick start has ${lines.length} line(s)`);
    process.exit(1);
  }
  console.log(line);
  process.exit(0);
}

const log = (line) => console.log(`[quickstart] ${line}`);
const sleep = (ms) => new Promise((wake) => setTimeout(wake, ms));

/** Whether something accepts a connection on 127.0.0.1:port. */
function listening(port) {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    const done = (value) => {
      socket.destroy();
      resolve(value);
    };
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
    socket.setTimeout(1_000, () => done(false));
  });
}

async function listeningPorts(ports) {
  const open = [];
  for (const port of ports) if (await listening(port)) open.push(port);
  return open;
}

/** Every process under `root` (not `root` itself), from /proc. */
function descendants(root) {
  const children = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // It exited while we looked.
    }
  }
  const found = [];
  const queue = [root];
  while (queue.length) {
    for (const child of children.get(queue.shift()) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    // A zombie has exited; only its parent has not read its status yet.
    return !/^\d+ \(.*\) Z/s.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

function commandOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim().slice(0, 120);
  } catch {
    return "?";
  }
}

/** Resolves with `check()`'s first truthy value, or undefined after `ms`. */
async function poll(check, ms, everyMs = 500) {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) return undefined;
    await sleep(everyMs);
  }
}

async function answers() {
  try {
    const response = await fetch(`${ORIGIN}/api/auth/csrf`, { signal: AbortSignal.timeout(5_000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

/** Starts a command in a process group of its own, its output copied to ours with a prefix. */
function start(command, args, label) {
  const child = spawn(command, args, {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, FORCE_COLOR: "0" },
  });
  const output = [];
  for (const stream of [child.stdout, child.stderr]) {
    let pending = "";
    stream.on("data", (chunk) => {
      pending += chunk;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const raw of lines) {
        // The demo colours its labels with fixed escape codes: matched without them.
        const line = stripVTControlCharacters(raw);
        output.push(line);
        console.log(`[${label}] ${line}`);
      }
    });
  }
  const exited = new Promise((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return { child, output, exited };
}

/** SIGKILL to a group we started, whatever is left of it. */
function killGroup(pid) {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // Nothing left.
  }
}

const results = [];
async function check(title, body) {
  const started = Date.now();
  try {
    await body();
    results.push({ title, status: "passed", failureMessages: [], duration: Date.now() - started });
    log(`ok: ${title} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    results.push({
      title,
      status: "failed",
      failureMessages: [message],
      duration: Date.now() - started,
    });
    log(`FAILED: ${title}\n${message}`);
  }
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/** Every email the SMTP emulator received for `email`, from the inbox server. */
async function mailTo(email) {
  const response = await fetch(INBOX, { signal: AbortSignal.timeout(5_000) });
  const inbox = await response.json();
  return inbox.smtp.messages.filter((mail) => mail.envelope.to.includes(email));
}

/** A sign-up as the app's sign-in form does it, then the sign-in link from the inbox, followed. */
async function signUp(email) {
  const csrf = await fetch(`${ORIGIN}/api/auth/csrf`);
  const { csrfToken } = await csrf.json();
  const cookie = csrf.headers
    .getSetCookie()
    .map((value) => value.split(";")[0])
    .join("; ");
  const posted = await fetch(`${ORIGIN}/api/auth/signin/email`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie },
    body: new URLSearchParams({ email, csrfToken, callbackUrl: `${ORIGIN}/account`, json: "true" }),
  });
  const { url } = await posted.json();
  assert(url?.includes("verify-request"), `the email sign-in was refused: ${url}`);
  const link = await poll(async () => {
    for (const mail of await mailTo(email)) {
      const found = /http:\/\/\S+\/api\/auth\/callback\/email\?\S+/.exec(mail.text)?.[0];
      if (found) return found;
    }
  }, 20_000);
  assert(link, "no sign-in link arrived at the inbox");
  const callback = await fetch(link, { redirect: "manual", headers: { cookie } });
  await callback.arrayBuffer();
  assert(
    callback.status === 302 && !callback.headers.get("location")?.includes("error"),
    `the sign-in link answered ${callback.status} ${callback.headers.get("location")}`,
  );
  const welcome = await poll(
    async () => (await mailTo(email)).find((mail) => /^Welcome/.test(mail.subject)),
    20_000,
  );
  assert(
    welcome,
    `no welcome email arrived at ${INBOX} (subjects: ${(await mailTo(email)).map((m) => m.subject).join(", ")})`,
  );
}

/** Waits until nothing listens on `ports` and every pid in `pids` is gone; throws what is left. */
async function assertAllStopped(ports, pids, what) {
  const stopped = await poll(
    async () => !pids.some(alive) && (await listeningPorts(ports)).length === 0,
    STOP_MS,
  );
  if (stopped) return;
  const open = await listeningPorts(ports);
  const left = pids.filter(alive).map((pid) => `${pid} ${commandOf(pid)}`);
  throw new Error(
    `${what}: after ${STOP_MS / 1000} s still listening on ${open.join(", ") || "nothing"}; still running:\n  ${left.join("\n  ") || "none"}`,
  );
}

/**
 * `npm run demo [args]` in a group of its own; once it answers (and, in queue mode, its worker runs),
 * `signal` to the npm process alone; then every process that was under it must be gone.
 */
async function stopByPid(args, signal, extraReady) {
  const demo = start("npm", ["run", "demo", ...args], `npm run demo ${args.join(" ")}`.trim());
  try {
    const ready = await poll(
      async () => (await answers()) && (!extraReady || extraReady(demo.output)),
      WARM_START_MS,
    );
    assert(ready, `the demo did not answer on ${ORIGIN} within ${WARM_START_MS / 1000} s`);
    const under = descendants(demo.child.pid);
    const ports = [...DEMO_PORTS];
    const redisPort = /redis-server on redis:\/\/127\.0\.0\.1:(\d+)/.exec(
      demo.output.join("\n"),
    )?.[1];
    if (redisPort) ports.push(Number(redisPort));
    log(
      `${signal} to npm (pid ${demo.child.pid}) alone; under it: ${under.map(commandOf).join(" | ")}`,
    );
    process.kill(demo.child.pid, signal);
    await assertAllStopped(ports, under, `${signal} to the npm process`);
  } finally {
    killGroup(demo.child.pid);
  }
}

async function main() {
  mkdirSync(join(ROOT, ".ci", "results"), { recursive: true });
  const lines = quickStartLines();
  let demo;
  await check("the README's Quick start is two command lines", () => {
    assert(
      lines.length === 2,
      `the Quick start code block has ${lines.length} lines: ${lines.join(" / ")}`,
    );
  });
  await check("nothing listens on the demo's ports before it starts", async () => {
    const open = await listeningPorts(DEMO_PORTS);
    assert(
      open.length === 0,
      `already listening: ${open.join(", ")}: the demo would use other ports`,
    );
  });

  const started = Date.now();
  await check(`\`${lines[0]}\` on this clone answers on ${ORIGIN}`, async () => {
    log(`running \`${lines[0]}\` (a process group of its own, as a terminal runs it)`);
    demo = start("sh", ["-c", lines[0]], "quick start");
    const outcome = await Promise.race([
      poll(answers, COLD_START_MS, 1_000),
      demo.exited.then(({ code, signal }) => ({ code, signal })),
    ]);
    assert(
      outcome === true,
      `the command ${outcome ? `exited (${outcome.signal ?? `code ${outcome.code}`})` : `did not answer within ${COLD_START_MS / 60_000} min`}`,
    );
    log(
      `the demo answered ${((Date.now() - started) / 1000).toFixed(1)} s after the command started`,
    );
  });
  const coldStartSeconds = Number(((Date.now() - started) / 1000).toFixed(1));

  if (demo) {
    await check("a sign-up through the app delivers the welcome email at the emulator", () =>
      signUp(`quickstart-${Date.now().toString(36)}@example.test`),
    );
    await check("Ctrl-C (SIGINT to the process group) stops everything it started", async () => {
      const under = descendants(demo.child.pid);
      process.kill(-demo.child.pid, "SIGINT");
      await assertAllStopped(DEMO_PORTS, [demo.child.pid, ...under], "Ctrl-C");
      const { code, signal } = await demo.exited;
      // Ctrl-C is how the README says to stop it: npm ends with 130 as a shell does, and nothing in
      // the chain may report it as a failure (pnpm's "Command failed", npm's "ERR!").
      const complaints = demo.output.filter((line) => /ERR!|ELIFECYCLE|Command failed/.test(line));
      assert(
        (code === 0 || code === 130 || signal === "SIGINT") && complaints.length === 0,
        `the Quick start ended with ${signal ?? `code ${code}`}: ${complaints.join(" / ")}`,
      );
    });
    killGroup(demo.child.pid);

    await check("SIGTERM to `npm run demo` alone stops the app and the emulators", () =>
      stopByPid([], "SIGTERM"),
    );
    const redis = spawnSync("sh", ["-c", "command -v redis-server"]).status === 0;
    if (redis) {
      await check(
        "SIGINT to `npm run demo -- --queue` alone stops redis-server and the worker too",
        () =>
          stopByPid(["--", "--queue"], "SIGINT", (output) =>
            output.some((line) => line.includes("[worker] running")),
          ),
      );
    } else if (process.env.CI) {
      await check("redis-server is installed for the queue mode check", () => {
        throw new Error("no redis-server on PATH: .ci/run installs it before the Quick start");
      });
    } else log("no redis-server: the queue mode check is skipped");
  }

  const passed = results.filter((r) => r.status === "passed").length;
  const failed = results.length - passed;
  writeFileSync(
    join(ROOT, ".ci", "results", "quickstart.json"),
    `${JSON.stringify(
      {
        numPassedTests: passed,
        numFailedTests: failed,
        numTotalTests: results.length,
        coldStartSeconds,
        success: failed === 0,
        testResults: [{ name: ".ci/quickstart.mjs", assertionResults: results }],
      },
      null,
      2,
    )}\n`,
  );
  log(`quickstart: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
