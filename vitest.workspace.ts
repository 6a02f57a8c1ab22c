// The one root config: every package's tests run as projects of a single Vitest run.
// Vitest 4 does not read a workspace file by itself; the root scripts pass `--config vitest.workspace.ts`.
import { readdirSync } from "node:fs";
import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";

// Workspace packages resolve to their `src/` through this export condition, so tests need no build.
const conditions = ["@auth-recipes/source"];

function packageProject(name: string): TestProjectInlineConfiguration {
  return {
    resolve: { conditions },
    ssr: { resolve: { conditions } },
    test: {
      name,
      root: `packages/${name}`,
      include: ["test/**/*.test.ts"],
      typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
      testTimeout: 20_000,
      hookTimeout: 20_000,
    },
  };
}

export default defineConfig({
  test: {
    projects: readdirSync("packages").map(packageProject),
    reporters: process.env.CI ? ["default", "json"] : ["default"],
    outputFile: { json: ".ci/results/vitest.json" },
  },
});
