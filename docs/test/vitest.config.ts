// The docs' browser test: serves the built site (docs/.vitepress/dist) on 127.0.0.1 and drives Debian's
// Chromium through playwright-core. Run `pnpm build` in docs/ first.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

export default defineConfig({
  test: {
    root: fileURLToPath(new URL("../", import.meta.url)),
    include: ["test/**/*.test.ts"],
    // One browser for the whole file: the pages are visited in turn, not in parallel.
    fileParallelism: false,
    testTimeout: 15_000,
    hookTimeout: 30_000,
    reporters: process.env.CI ? ["default", "json"] : ["default"],
    outputFile: { json: `${repoRoot}.ci/results/docs.json` },
  },
});
