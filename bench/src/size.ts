import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { SIZE_BUDGETS } from "./budgets.ts";
import {
  BENCH_DIR,
  dependenciesOf,
  esmEntry,
  hasSource,
  needsBuild,
  type PackageInfo,
  packageDir,
  ROOT,
} from "./packages.ts";
import { ratios, type Summary, summarize } from "./stats.ts";

/** Section 5's size figures for one package. */
export interface SizeRow {
  package: string;
  /** The ESM build's own code: every import of another package left out. */
  minifiedBytes: number;
  gzipBytes: number;
  /** With `@auth-recipes/core` bundled in (the SDK still left out): what the recipe costs an app alone. */
  withCoreGzipBytes: number;
  /** The budget in budgets.ts, if the package has one. */
  budgetBytes: number | undefined;
  withinBudget: boolean;
}

/** Section 5's import-time figures for one package, from fresh processes. */
export interface ImportRow {
  package: string;
  sdk: string | undefined;
  /** Importing the package alone, in ms. */
  packageMs: Summary;
  /** Importing its SDK alone, in ms. */
  sdkMs: Summary | undefined;
  /** Importing the SDK and then the package, as an app that uses both does. */
  bothMs: Summary | undefined;
  /** The package's import time over its SDK's, paired per round. */
  packageVsSdk: Summary | undefined;
  /** Importing both over importing the SDK alone: what adding the recipe costs at start-up. */
  bothVsSdk: Summary | undefined;
}

/** The packages that can be measured, and why any other cannot. */
export interface BuildOutcome {
  ready: PackageInfo[];
  problems: string[];
}

/**
 * Builds the packages whose ESM build is missing or older than their sources, with the root's build
 * command restricted to them. A package whose build fails, or whose `exports` map points at a file the
 * build does not write, is reported and left out rather than ending the run.
 */
export function ensureBuilt(packages: readonly PackageInfo[]): BuildOutcome {
  const problems: string[] = [];
  const written = packages.filter((info) => {
    if (hasSource(info)) return true;
    problems.push(`${info.name}: no src/index.ts yet`);
    return false;
  });
  const stale = written.filter(needsBuild);
  if (stale.length > 0) {
    console.log(`building ${stale.map((info) => info.name).join(", ")} (dist missing or stale)`);
    try {
      execFileSync(
        "pnpm",
        [...stale.flatMap((info) => ["--filter", info.name]), "-r", "build"],
        // tsdown's output is long and not what the bench reports; its errors still show on stderr.
        { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] },
      );
    } catch {
      problems.push(`the build of ${stale.map((info) => info.name).join(", ")} failed`);
    }
  }
  const ready = written.filter((info) => {
    const entry = esmEntry(info);
    if (existsSync(entry)) return true;
    const dist = join(packageDir(info), "dist");
    const files = existsSync(dist) ? readdirSync(dist).join(", ") : "nothing";
    problems.push(
      `${info.name}: its exports map's ESM entry ${relative(packageDir(info), entry)} does not exist after the build (dist/ holds ${files})`,
    );
    return false;
  });
  return { ready, problems };
}

async function minify(entry: string, external: string[]): Promise<Uint8Array> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "node",
    target: "es2022",
    write: false,
    external,
    logLevel: "silent",
  });
  return result.outputFiles[0]!.contents;
}

/** Minified (esbuild) and gzipped (level 9) size of each package's ESM build. */
export async function measureSizes(packages: readonly PackageInfo[]): Promise<SizeRow[]> {
  const rows: SizeRow[] = [];
  for (const info of packages) {
    const entry = esmEntry(info);
    const dependencies = dependenciesOf(info);
    // Bundled so that every chunk tsdown split off counts; node: built-ins are external on platform node.
    const own = await minify(entry, dependencies);
    const withCore = await minify(
      entry,
      dependencies.filter((name) => name !== "@auth-recipes/core"),
    );
    const gzipBytes = gzipSync(own, { level: 9 }).length;
    const budgetBytes = SIZE_BUDGETS[info.name];
    rows.push({
      package: info.name,
      minifiedBytes: own.length,
      gzipBytes,
      withCoreGzipBytes: gzipSync(withCore, { level: 9 }).length,
      budgetBytes,
      withinBudget: budgetBytes === undefined || gzipBytes <= budgetBytes,
    });
  }
  return rows;
}

// Runs in a fresh `node` (no source condition: the published entry points, as an app would load them).
// The first import warms up the ESM loader on a one-line local file, so that the figure is the
// package's own cost and not the loader's first use.
const IMPORT_PROBE = `
await import(${JSON.stringify(new URL("./empty-module.js", import.meta.url).href)});
const started = performance.now();
for (const specifier of process.argv.slice(1)) await import(specifier);
process.stdout.write(String(performance.now() - started));
`;

function timeImport(specifiers: string[]): number {
  const output = execFileSync(
    process.execPath,
    ["--input-type=module", "-e", IMPORT_PROBE, ...specifiers],
    // From bench/, whose node_modules link every package and SDK.
    { cwd: BENCH_DIR, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } },
  );
  return Number(output);
}

/**
 * Import time of each package against its SDK alone, in fresh processes, `rounds` times each, the
 * variants of one package interleaved so that their ratios pair samples taken close together.
 */
export function measureImportTimes(packages: readonly PackageInfo[], rounds: number): ImportRow[] {
  return packages.map((info) => {
    const pkg: number[] = [];
    const sdk: number[] = [];
    const both: number[] = [];
    for (let round = 0; round < rounds; round++) {
      pkg.push(timeImport([info.name]));
      if (info.sdk) {
        sdk.push(timeImport([info.sdk]));
        both.push(timeImport([info.sdk, info.name]));
      }
    }
    return {
      package: info.name,
      sdk: info.sdk,
      packageMs: summarize(pkg),
      sdkMs: info.sdk ? summarize(sdk) : undefined,
      bothMs: info.sdk ? summarize(both) : undefined,
      packageVsSdk: info.sdk ? ratios(pkg, sdk) : undefined,
      bothVsSdk: info.sdk ? ratios(both, sdk) : undefined,
    };
  });
}
