// The one root config: every package's tests run as projects of a single Vitest run.
// Vitest 4 does not read a workspace file by itself; the root scripts pass `--config vitest.workspace.ts`.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { configDefaults, defineConfig, type TestProjectInlineConfiguration } from "vitest/config";

// Workspace packages resolve to their `src/` through this export condition, so tests need no build.
const conditions = ["@auth-recipes/source"];
const packagesDir = new URL("./packages/", import.meta.url).pathname;

// Tests named `*.redis.test.ts` start their own redis-server (Debian's package). The Quick start needs only
// Node and npm, so without one they are skipped, and said so; CI installs it, and there a missing server
// fails those tests instead of skipping them.
const redisInstalled = spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;
const skipRedisTests = !redisInstalled && !process.env.CI;
if (skipRedisTests) {
  console.warn(
    "[auth-recipes] redis-server is not installed: skipping the *.redis.test.ts files (apt-get install redis-server to run them)",
  );
}

function packageProject(name: string): TestProjectInlineConfiguration {
  return {
    resolve: { conditions },
    ssr: { resolve: { conditions } },
    test: {
      name,
      root: `${packagesDir}${name}`,
      include: ["test/**/*.test.ts"],
      exclude: [...configDefaults.exclude, ...(skipRedisTests ? ["test/**/*.redis.test.ts"] : [])],
      testTimeout: 20_000,
      hookTimeout: 20_000,
    },
  };
}

// Every package's type tests (`test/**/*.test-d.ts`) as one project, checked by one tsc run. Vitest warns
// that type testing is experimental once per project that enables it: with typecheck on in each package's
// project, every run printed that notice six times and ran six tsc processes over whole packages, which
// `pnpm typecheck` already checks. Vitest is pinned, as the notice asks.
const typeTests: TestProjectInlineConfiguration = {
  resolve: { conditions },
  test: {
    name: "types",
    include: [],
    typecheck: {
      enabled: true,
      only: true,
      include: ["packages/*/test/**/*.test-d.ts"],
      tsconfig: "./tsconfig.typetests.json",
    },
  },
};

export default defineConfig({
  test: {
    projects: [
      ...readdirSync(packagesDir)
        .filter((name) => existsSync(`${packagesDir}${name}/package.json`))
        .map(packageProject),
      typeTests,
    ],
    reporters: process.env.CI ? ["default", "json"] : ["default"],
    outputFile: { json: ".ci/results/vitest.json" },
  },
});
