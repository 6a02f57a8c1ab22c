// What the registry tests share: a work folder with its logs, commands run with a timeout and their
// output kept, checks recorded in Vitest's JSON shape, and the release of every package through the
// project's own path (changesets) to a local Verdaccio. run.mjs (the packages in fresh apps next to
// next-auth 4 and 5) and getting-started.mjs (the Getting started pages, as printed) each make one.
import { spawn } from "node:child_process";
import { once } from "node:events";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { homedir, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const VERDACCIO = "6.8.0";
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const RESULTS = join(ROOT, ".ci", "results");

/**
 * A registry test's work folder (a temp folder named after `name`, with `logs/`), its recorded checks and
 * the children it started. `finish(code)` writes `.ci/results/<name>.json`, prints
 * `<name>: N passed, M failed`, cleans up (keeping the logs when something failed) and exits.
 */
export function createHarness(name, { timeoutMs: budgetMs = 1_200_000 } = {}) {
  const work = mkdtempSync(join(tmpdir(), `auth-recipes-${name}-`));
  const logs = join(work, "logs");
  mkdirSync(logs);
  // npm's audit and funding requests are not part of an install; without them nothing else goes out.
  const npmEnv = {
    ...process.env,
    npm_config_audit: "false",
    npm_config_fund: "false",
    npm_config_update_notifier: "false",
  };
  delete npmEnv.npm_config_registry;

  const results = [];
  const children = new Set();
  let logCount = 0;

  /**
   * Runs a command, its output to a log file; resolves with its output (stdout and stderr, or stdout
   * alone with `stdoutOnly`), rejects with the output's tail when it fails or overruns.
   */
  async function run(
    command,
    args,
    { cwd, env = npmEnv, timeoutMs = 180_000, name = command, stdoutOnly = false } = {},
  ) {
    const log = join(
      logs,
      `${String(++logCount).padStart(2, "0")}-${name.replace(/[^\w.-]+/g, "_")}.log`,
    );
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    children.add(child);
    let output = "";
    let stdout = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    const [code, signal] = await once(child, "close");
    clearTimeout(timer);
    children.delete(child);
    writeFileSync(log, `$ ${command} ${args.join(" ")}\n(in ${cwd})\n${output}`);
    if (code !== 0) {
      const why = signal ? `killed after ${timeoutMs} ms` : `exit ${code}`;
      throw new Error(
        `${command} ${args.join(" ")}: ${why}\n${output.trim().split("\n").slice(-30).join("\n")}`,
      );
    }
    return stdoutOnly ? stdout : output;
  }

  /** Runs one check and records it; its line goes to `print` (the two apps run at once, each buffering). */
  async function check(name, fn, print = console.log) {
    const started = Date.now();
    try {
      const detail = await fn();
      results.push({ name, status: "passed", durationMs: Date.now() - started });
      print(`  ✓ ${name} (${Date.now() - started} ms)${detail ? ` ${detail}` : ""}`);
    } catch (error) {
      results.push({
        name,
        status: "failed",
        durationMs: Date.now() - started,
        message: String(error?.message ?? error),
      });
      print(
        `  ✗ ${name} (${Date.now() - started} ms)\n${String(error?.stack ?? error).replace(/^/gm, "      ")}`,
      );
    }
  }

  function freePort() {
    return new Promise((resolve, reject) => {
      const server = createServer();
      server.on("error", reject);
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address();
        server.close(() => resolve(port));
      });
    });
  }

  /** Verdaccio, installed once per machine outside the repository (npm, with the node-fetch override). */
  async function installVerdaccio() {
    const dir = join(homedir(), ".cache", "auth-recipes", `verdaccio-${VERDACCIO}`);
    const bin = join(dir, "node_modules", "verdaccio", "bin", "verdaccio");
    if (existsSync(bin)) return { dir, bin };
    mkdirSync(dir, { recursive: true });
    // Verdaccio 6.8's node-fetch range pulls a release that needs Node 22; 2.7.0 runs on Node 20.
    const manifest = {
      private: true,
      dependencies: { verdaccio: VERDACCIO },
      overrides: { "node-fetch": "2.7.0" },
    };
    writeFileSync(join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    await run("npm", ["install", "--no-save", "--loglevel=error"], {
      cwd: dir,
      name: "install-verdaccio",
    });
    return { dir, bin };
  }

  async function startVerdaccio(bin) {
    const port = await freePort();
    const home = join(work, "verdaccio");
    mkdirSync(home);
    writeFileSync(
      join(home, "config.yaml"),
      [
        "storage: ./storage",
        "auth:",
        "  htpasswd:",
        "    file: ./htpasswd",
        // No uplinks: this registry holds only what the release publishes; npm gets the rest elsewhere.
        "uplinks: {}",
        "packages:",
        "  '**':",
        "    access: $all",
        "    publish: $authenticated",
        "log: { type: stdout, format: pretty, level: warn }",
        "",
      ].join("\n"),
    );
    const child = spawn(
      process.execPath,
      [bin, "--config", join(home, "config.yaml"), "--listen", `127.0.0.1:${port}`],
      {
        cwd: home,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    children.add(child);
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`verdaccio exited:\n${output}`);
      try {
        if ((await fetch(`${url}/-/ping`)).ok) break;
      } catch {}
      if (Date.now() > deadline)
        throw new Error(`verdaccio did not answer within 60 s:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    // A user for the release to publish as (what `npm adduser` does).
    const response = await fetch(`${url}/-/user/org.couchdb.user:release`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "release", password: "release-test-password" }),
    });
    const { token } = await response.json();
    if (!token) throw new Error(`verdaccio refused the user: ${response.status}`);
    return { url, token, child };
  }

  async function release(registry) {
    const repo = join(work, "repo");
    await run("git", ["clone", "--quiet", "--no-hardlinks", ROOT, repo], { name: "clone" });
    await run("git", ["checkout", "--quiet", "-B", "main"], { cwd: repo, name: "branch-main" });
    // The store is warm from the workspace's own install: this links, it does not download.
    await run(
      "pnpm",
      [
        "install",
        "--frozen-lockfile",
        "--prefer-offline",
        "--filter",
        "auth-recipes",
        "--filter",
        "./packages/*",
      ],
      {
        cwd: repo,
        env: process.env,
        name: "pnpm-install",
      },
    );
    const host = registry.url.replace(/^http:/, "");
    writeFileSync(
      join(repo, ".npmrc"),
      `registry=${registry.url}/\n${host}/:_authToken=${registry.token}\n`,
    );
    const env = { ...process.env, npm_config_registry: `${registry.url}/` };
    // As a maintainer releases: `changeset version`, then what the release needs written from the new
    // versions (opentelemetry's src/version.ts).
    await run("pnpm", ["run", "version-packages"], {
      cwd: repo,
      env,
      name: "changeset-version",
    });
    const output = await run("pnpm", ["run", "release"], {
      cwd: repo,
      env,
      timeoutMs: 300_000,
      name: "release",
    });
    const packages = readdirSync(join(repo, "packages"))
      .map((name) => join(repo, "packages", name))
      .filter((dir) => existsSync(join(dir, "package.json")))
      .map((dir) => ({
        dir,
        manifest: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")),
      }))
      .filter(({ manifest }) => !manifest.private);
    return { repo, packages, output };
  }

  function finish(code) {
    for (const child of children) {
      // A detached child leads its own process group: end the group (its npx, node, next-server).
      try {
        if (child.detached && child.pid) process.kill(-child.pid, "SIGKILL");
        else child.kill("SIGKILL");
      } catch {}
    }
    const passed = results.filter((result) => result.status === "passed").length;
    const failed = results.length - passed;
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(
      join(RESULTS, `${name}.json`),
      `${JSON.stringify({ numTotalTests: results.length, numPassedTests: passed, numFailedTests: failed, testResults: results }, null, 2)}\n`,
    );
    const ok = failed === 0 && code === 0;
    if (!ok) console.log(`logs kept in ${logs}`);
    console.log(`${name}: ${passed} passed, ${failed} failed`);
    // The apps hold about 1 GB (next, with its compiler binaries).
    for (const entry of readdirSync(work)) {
      if (ok || entry !== "logs") rmSync(join(work, entry), { recursive: true, force: true });
    }
    if (ok) rmSync(work, { recursive: true, force: true });
    process.exit(ok ? 0 : 1);
  }

  const watchdog = setTimeout(() => {
    results.push({
      name: `the ${name} test finishes within ${budgetMs / 60_000} minutes`,
      status: "failed",
      durationMs: budgetMs,
    });
    finish(1);
  }, budgetMs);
  watchdog.unref();

  return {
    work,
    logs,
    npmEnv,
    results,
    children,
    run,
    check,
    freePort,
    installVerdaccio,
    startVerdaccio,
    release,
    finish,
  };
}
