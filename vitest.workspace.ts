// The one root config: every package's tests run as projects of a single Vitest run.
// Vitest 4 does not read a workspace file by itself; the root scripts pass `--config vitest.workspace.ts`.
import { existsSync, readdirSync } from "node:fs";
import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";

// Workspace packages resolve to their `src/` through this export condition, so tests need no build.
const conditions = ["@auth-recipes/source"];
const packagesDir = new URL("./packages/", import.meta.url).pathname;

function packageProject(name: string): TestProjectInlineConfiguration {
  return {
    resolve: { conditions },
    ssr: { resolve: { conditions } },
    test: {
      name,
      root: `${packagesDir}${name}`,
      include: ["test/**/*.test.ts"],
      typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
      testTimeout: 20_000,
      hookTimeout: 20_000,
    },
  };
}

export default defineConfig({
  test: {
    projects: readdirSync(packagesDir)
      .filter((name) => existsSync(`${packagesDir}${name}/package.json`))
      .map(packageProject),
    reporters: process.env.CI ? ["default", "json"] : ["default"],
    outputFile: { json: ".ci/results/vitest.json" },
  },
});
