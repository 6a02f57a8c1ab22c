#!/usr/bin/env node
// The registry test: the packages go through the project's own release path to a local npm registry,
// and fresh apps outside the workspace install them from it with npm, as the READMEs say, and use them.
//
// 1. Verdaccio (pinned in harness.mjs, shared with getting-started.mjs) on 127.0.0.1, on a free port,
//    with its storage in a temp folder.
// 2. A throwaway clone of this repository (HEAD, as branch main: changesets reads the git history), where
//    `changeset version` then `pnpm release` (build, then `changeset publish`) publish every package.
//    The repository itself is not touched.
// 3. Each published package: the version `changeset version` gave it, LICENSE in the tarball, homepage,
//    bugs, repository, and internal dependency ranges that the published versions satisfy.
// 4. Two apps in the temp folder, one next to next-auth@4 and one next to next-auth@5 beta: every
//    package's README install line run with npm (only the @auth-recipes scope points at the local
//    registry), then the README's full configuration type-checked (strict; moduleResolution bundler and
//    nodenext; TypeScript 5.9 and 7), and a sign-up run against the emulators from ESM and from CommonJS.
//    In the v4 app, the welcome-email README's install line gives nodemailer 7 (next-auth's Email
//    provider peers on it; a newer one makes npm refuse later installs), and its fix for 7 ignoring the
//    abort signal, nodemailer's own timeouts in the SMTP URL or on a transport, is checked to end a hung
//    SMTP exchange.
//
// Writes .ci/results/registry.json (numPassedTests/numFailedTests, which .ci/run's summary adds up) and
// ends with `registry: N passed, M failed`. Exits 1 when a check failed. Bounded: every command has a
// timeout, and the whole run stops after 20 minutes.
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { createHarness, ROOT, VERDACCIO } from "./harness.mjs";

const NEXT_AUTH = { v4: "next-auth@4.24.15", v5: "next-auth@5.0.0-beta.32" };
const TYPESCRIPT = "typescript@5.9.3";
const TYPESCRIPT_7 = "typescript@7.0.2";
const TYPES_NODE = "@types/node@^20.19.0";

const HERE = dirname(fileURLToPath(import.meta.url));
const { work, check, run, installVerdaccio, startVerdaccio, release, results, finish } =
  createHarness("registry");

/** The files of a .tgz, by path: enough of tar for npm's tarballs (ustar headers, regular files). */
function untar(tgz) {
  const tar = gunzipSync(tgz);
  const files = new Map();
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const header = tar.subarray(offset, offset + 512);
    const name = header.subarray(0, 100).toString("utf8").replace(/\0.*$/s, "");
    if (!name) break;
    const prefix = header.subarray(345, 500).toString("utf8").replace(/\0.*$/s, "");
    const size = Number.parseInt(
      header.subarray(124, 136).toString("utf8").replace(/\0.*$/s, "").trim() || "0",
      8,
    );
    const path = prefix ? `${prefix}/${name}` : name;
    files.set(path, tar.subarray(offset + 512, offset + 512 + size));
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

/** The `npm install …` lines of a README's Install section, as a user would type them. */
function readmeInstallLines(readme) {
  const install = readme.split(/^## /m).find((section) => section.startsWith("Install"));
  if (!install) return [];
  return [...install.matchAll(/```sh\n([\s\S]*?)```/g)]
    .flatMap((block) => block[1].split("\n"))
    .map((line) => line.trim())
    .filter((line) => /^npm (install|i|add)\b/.test(line));
}

async function checkPublished(registry, { dir, manifest }, versions, semver) {
  const response = await fetch(`${registry.url}/${manifest.name.replace("/", "%2f")}`);
  if (!response.ok) throw new Error(`${manifest.name} is not on the registry (${response.status})`);
  const packument = await response.json();
  const published = packument.versions[manifest.version];
  if (!published)
    throw new Error(
      `${manifest.name}@${manifest.version} was not published (has ${Object.keys(packument.versions)})`,
    );
  const problems = [];
  if (published.license !== "MIT") problems.push(`license is ${published.license}`);
  if (!published.homepage?.startsWith("https://"))
    problems.push("no homepage (set homepage and bugs as packages/slack/package.json does)");
  if (!published.bugs?.url) problems.push("no bugs.url");
  if (
    !published.repository?.url ||
    published.repository.directory !== `packages/${dir.split(/[\\/]/).pop()}`
  ) {
    problems.push("repository does not name its directory");
  }
  for (const field of ["dependencies", "peerDependencies"]) {
    for (const [name, range] of Object.entries(published[field] ?? {})) {
      if (range.startsWith("workspace:")) problems.push(`${field}.${name} is still ${range}`);
      else if (versions.has(name) && !semver.satisfies(versions.get(name), range)) {
        problems.push(
          `${field}.${name} is ${range}, which the published ${versions.get(name)} does not satisfy`,
        );
      }
    }
  }
  const tarball = Buffer.from(await (await fetch(published.dist.tarball)).arrayBuffer());
  const files = untar(tarball);
  const license = files.get("package/LICENSE");
  if (!license)
    problems.push("the tarball has no LICENSE (copy the root LICENSE into the package folder)");
  else if (!license.equals(readFileSync(join(ROOT, "LICENSE"))))
    problems.push("its LICENSE differs from the repository's");
  if (problems.length) throw new Error(problems.join("; "));
  return `${manifest.version}, ${files.size} files`;
}

async function app(flavor, registry, packages) {
  const lines = [];
  const print = (line) => lines.push(line);
  try {
    await appChecks(flavor, registry, packages, print);
  } finally {
    console.log(lines.join("\n"));
  }
}

async function appChecks(flavor, registry, packages, print) {
  const dir = join(work, `app-${flavor}`);
  mkdirSync(dir);
  writeFileSync(
    join(dir, "package.json"),
    `${JSON.stringify({ name: `app-${flavor}`, private: true, type: "module" }, null, 2)}\n`,
  );
  // Only the project's scope comes from the local registry, as a user's app would get it from npm.
  writeFileSync(join(dir, ".npmrc"), `@auth-recipes:registry=${registry.url}/\n`);
  const cwd = dir;
  print(`app-${flavor} (${dir}): ${NEXT_AUTH[flavor]}`);

  let installed = false;
  await check(
    `${flavor}: npm install ${NEXT_AUTH[flavor]} and TypeScript, then every README's install line`,
    async () => {
      // The app's own dependencies first (the compilers, saved as plain dependencies: one npm run less).
      await run(
        "npm",
        [
          "install",
          NEXT_AUTH[flavor],
          TYPESCRIPT,
          TYPES_NODE,
          `typescript7@npm:${TYPESCRIPT_7}`,
          "--loglevel=error",
        ],
        {
          cwd,
          name: `${flavor}-next-auth`,
        },
      );
      const lines = [];
      for (const { dir: packageDir } of packages) {
        for (const line of readmeInstallLines(
          readFileSync(join(packageDir, "README.md"), "utf8"),
        )) {
          lines.push(line);
          const [command, ...args] = line.split(/\s+/);
          await run(command, args, { cwd, name: `${flavor}-${args.join("-")}` });
        }
      }
      const missing = packages.filter(({ manifest }) => {
        const file = join(cwd, "node_modules", manifest.name, "package.json");
        return (
          !existsSync(file) || JSON.parse(readFileSync(file, "utf8")).version !== manifest.version
        );
      });
      if (missing.length)
        throw new Error(
          `not installed at the released version: ${missing.map((p) => p.manifest.name)}`,
        );
      installed = true;
      return `(${lines.length} lines)`;
    },
    print,
  );
  if (!installed) return;

  for (const file of [
    "tsconfig.bundler.json",
    "tsconfig.nodenext.json",
    "sign-up.mjs",
    "sign-up.cjs",
    "sign-up-flow.cjs",
    "nodemailer-timeouts.mjs",
  ]) {
    cpSync(join(HERE, "app", file), join(dir, file));
  }
  cpSync(join(HERE, "app", `auth-${flavor}.ts`), join(dir, "auth.ts"));

  for (const [label, tsc] of [
    ["TypeScript 5.9", join(dir, "node_modules", "typescript", "bin", "tsc")],
    ["TypeScript 7", join(dir, "node_modules", "typescript7", "bin", "tsc")],
  ]) {
    for (const resolution of ["bundler", "nodenext"]) {
      await check(
        `${flavor}: the README's configuration type-checks (${label}, strict, moduleResolution ${resolution})`,
        async () => {
          const version = (
            await run(process.execPath, [tsc, "--version"], { cwd, name: `${flavor}-tsc-version` })
          ).trim();
          await run(process.execPath, [tsc, "-p", `tsconfig.${resolution}.json`], {
            cwd,
            name: `${flavor}-tsc-${resolution}`,
          });
          return `(${version})`;
        },
        print,
      );
    }
  }
  for (const entry of ["sign-up.mjs", "sign-up.cjs"]) {
    await check(
      `${flavor}: a sign-up reaches all four emulators (${entry.endsWith(".mjs") ? "ESM" : "CommonJS"})`,
      async () => {
        const output = await run(process.execPath, [entry], {
          cwd,
          timeoutMs: 60_000,
          name: `${flavor}-${entry}`,
        });
        const summary = JSON.parse(output.trim().split("\n").pop());
        return `(${summary.entry.split("node_modules/").pop()})`;
      },
      print,
    );
  }
  if (flavor === "v4") {
    const readme = readFileSync(
      join(
        packages.find((p) => p.manifest.name === "@auth-recipes/welcome-email").dir,
        "README.md",
      ),
      "utf8",
    );
    const query = readme.match(/EMAIL_SERVER="smtp:\/\/[^"?]*\?([^"]+)"/)?.[1];
    await check(
      "v4: the README installs nodemailer 7, and its timeouts (SMTP URL, createTransport) end a hung SMTP exchange",
      async () => {
        if (!query)
          throw new Error(
            "the welcome-email README no longer shows the EMAIL_SERVER line with timeouts",
          );
        const output = await run(process.execPath, ["nodemailer-timeouts.mjs"], {
          cwd,
          env: { ...process.env, README_SMTP_QUERY: query },
          timeoutMs: 60_000,
          name: "v4-nodemailer",
        });
        const summary = JSON.parse(output.trim().split("\n").pop());
        const forms = summary.forms.map(
          (f) => `${f.form}: settled in ${f.settledMs} ms, hung up after ${f.connectionHeldMs} ms`,
        );
        return `(nodemailer ${summary.nodemailer}; ${forms.join("; ")})`;
      },
      print,
    );
  }
}

try {
  const started = Date.now();
  const { dir: verdaccioDir, bin } = await installVerdaccio();
  const registry = await startVerdaccio(bin);
  console.log(`verdaccio ${VERDACCIO} on ${registry.url} (${Date.now() - started} ms)`);
  const semver = createRequire(join(verdaccioDir, "package.json"))("semver");

  let released;
  await check(
    "changeset version, then pnpm release (build, changeset publish), on a throwaway clone",
    async () => {
      released = await release(registry);
      return `(${released.packages.length} packages)`;
    },
  );
  if (released) {
    const versions = new Map(
      released.packages.map(({ manifest }) => [manifest.name, manifest.version]),
    );
    for (const pkg of released.packages) {
      await check(
        `${pkg.manifest.name}: published with LICENSE, homepage, bugs, repository and resolvable ranges`,
        () => checkPublished(registry, pkg, versions, semver),
      );
    }
    // The two apps at once: their installs wait on the network more than on the CPU.
    await Promise.all([
      app("v4", registry, released.packages),
      app("v5", registry, released.packages),
    ]);
  }
  finish(0);
} catch (error) {
  results.push({
    name: "registry test setup",
    status: "failed",
    durationMs: 0,
    message: String(error?.message ?? error),
  });
  console.log(String(error?.stack ?? error));
  finish(1);
}
