import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { APP_DIR, NEXT_BIN, run } from "./processes.ts";

export const REPO_ROOT: string = join(APP_DIR, "..", "..");

/**
 * The workspace packages the app imports at run time, built to their `dist/` as users install them: every
 * `@auth-recipes/*` dependency in the app's package.json (testing for its emulators' defaults and the
 * emulators' bin the demo runs; bullmq for queue mode), so a recipe added to the app is built with no
 * list to edit.
 */
export const RECIPE_PACKAGES: readonly string[] = (() => {
  const manifest = JSON.parse(readFileSync(join(APP_DIR, "package.json"), "utf8")) as {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  return Object.keys({ ...manifest.dependencies, ...manifest.devDependencies })
    .filter((name) => name.startsWith("@auth-recipes/"))
    .map((name) => name.slice("@auth-recipes/".length));
})();

/** The pnpm the repository pins (a root dev dependency), so nothing is fetched or installed. */
function pnpmBin(): string {
  const local = join(REPO_ROOT, "node_modules", ".bin", "pnpm");
  return existsSync(local) ? local : "pnpm";
}

/** Builds workspace packages with their own `build` scripts (tsdown, a few seconds). */
export async function buildPackages(
  names: readonly string[] = RECIPE_PACKAGES,
  quiet = false,
): Promise<void> {
  if (!names.length) return;
  const filters = names.flatMap((name) => ["--filter", `@auth-recipes/${name}`]);
  await run(pnpmBin(), [...filters, "build"], { cwd: REPO_ROOT, quiet });
}

/** The packages whose `dist/` is missing or older than their sources. */
export function stalePackages(names: readonly string[]): string[] {
  return names.filter((name) => {
    const dir = join(REPO_ROOT, "packages", name);
    const built = newest(join(dir, "dist"));
    return !built || Math.max(newest(join(dir, "src")), newest(join(dir, "package.json"))) > built;
  });
}

/** `next build` into `distDir` (the app's `.next` unless NEXT_DIST_DIR says otherwise). */
export async function buildApp(distDir?: string, quiet = false): Promise<void> {
  await run(process.execPath, [NEXT_BIN, "build"], {
    quiet,
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      ...(distDir ? { NEXT_DIST_DIR: distDir } : {}),
    },
  });
}

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

/**
 * Whether `.next` is older than what it was built from: the app's sources and config, and the
 * packages' builds. The demo rebuilds only then, so a second `npm run demo` starts at once.
 */
export function appBuildIsStale(distDir = ".next"): boolean {
  const built = join(APP_DIR, distDir, "BUILD_ID");
  if (!existsSync(built)) return true;
  const inputs = [
    join(APP_DIR, "src"),
    join(APP_DIR, "next.config.ts"),
    join(APP_DIR, "package.json"),
    ...RECIPE_PACKAGES.map((name) => join(REPO_ROOT, "packages", name, "dist")),
  ];
  return Math.max(...inputs.map(newest)) > statSync(built).mtimeMs;
}
