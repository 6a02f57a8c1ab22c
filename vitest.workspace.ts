// The one root config: every package's tests run as projects of a single Vitest run.
// Vitest 4 does not read a workspace file by itself; the root scripts pass `--config vitest.workspace.ts`.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: ["packages/*/vitest.config.ts"],
    reporters: process.env.CI ? ["default", "json"] : ["default"],
    outputFile: { json: ".ci/results/vitest.json" },
  },
});
