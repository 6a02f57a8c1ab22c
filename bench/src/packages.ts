import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/** The repository's root and the bench package's folder. */
export const ROOT: string = new URL("../../", import.meta.url).pathname;
export const BENCH_DIR: string = new URL("../", import.meta.url).pathname;

/** A published package of the workspace that the size section measures. */
export interface PackageInfo {
  /** The folder under packages/, such as `slack`. */
  dir: string;
  /** The package's name, such as `@auth-recipes/slack`. */
  name: string;
  /** The SDK it drives (its peer dependency), or `undefined` for core. */
  sdk: string | undefined;
  /** The recipe factory the package exports, or `undefined` for core. */
  factory: string | undefined;
}

/**
 * The packages an app installs, in the order the tables show them. `@auth-recipes/testing` is left out on
 * purpose: it is a dev dependency for tests, never part of an app's bundle or start-up.
 */
export const PACKAGES: readonly PackageInfo[] = [
  { dir: "core", name: "@auth-recipes/core", sdk: undefined, factory: undefined },
  {
    dir: "welcome-email",
    name: "@auth-recipes/welcome-email",
    sdk: "nodemailer",
    factory: "welcomeEmail",
  },
  { dir: "slack", name: "@auth-recipes/slack", sdk: "@slack/web-api", factory: "slackNotify" },
  { dir: "stripe", name: "@auth-recipes/stripe", sdk: "stripe", factory: "stripeCustomer" },
  {
    dir: "segment",
    name: "@auth-recipes/segment",
    sdk: "@segment/analytics-node",
    factory: "segmentTracking",
  },
  { dir: "resend", name: "@auth-recipes/resend", sdk: "resend", factory: "resendTransport" },
];

/** The package's folder. */
export function packageDir(info: PackageInfo): string {
  return join(ROOT, "packages", info.dir);
}

/** Whether the package has an entry point yet (the recipe packages are written alongside the bench). */
export function hasSource(info: PackageInfo): boolean {
  return existsSync(join(packageDir(info), "src", "index.ts"));
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * The file an ESM `import` of the package loads, as its `exports` map names it (`"."` → `import` →
 * `default`), whether or not it exists yet.
 */
export function esmEntry(info: PackageInfo): string {
  const manifest = JSON.parse(readFileSync(join(packageDir(info), "package.json"), "utf8")) as {
    exports?: Record<string, { import?: { default?: string } | string }>;
  };
  const target = manifest.exports?.["."]?.import;
  const path = typeof target === "string" ? target : (target?.default ?? "./dist/index.js");
  return join(packageDir(info), path);
}

/**
 * Whether the package's ESM build is missing or older than its sources (or its package.json), so that
 * the size section never measures a stale build.
 */
export function needsBuild(info: PackageInfo): boolean {
  const dir = packageDir(info);
  const built = esmEntry(info);
  if (!existsSync(built)) return true;
  const sources = Math.max(
    newestMtime(join(dir, "src")),
    statSync(join(dir, "package.json")).mtimeMs,
  );
  return statSync(built).mtimeMs < sources;
}

/** The names of the package's runtime and peer dependencies. */
export function dependenciesOf(info: PackageInfo): string[] {
  const manifest = JSON.parse(readFileSync(join(packageDir(info), "package.json"), "utf8")) as {
    dependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
  };
  return [
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
  ];
}
