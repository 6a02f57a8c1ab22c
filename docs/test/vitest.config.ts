// The docs' tests, one run, two projects:
// - "docs-samples": the guide's test samples (snippets/**/*.test.ts) run for real against the packages'
//   sources and the emulators of @auth-recipes/testing, so a sample that stops working fails here;
// - "docs-site": the built site (docs/.vitepress/dist: run `pnpm build` in docs/ first) served on
//   127.0.0.1 and driven with Debian's Chromium through playwright-core;
// - "docs-text": the READMEs' and pages' text as written: every command they print exists, every
//   TypeScript block type-checks against the published packages' types (run `npm run build` first).
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const docsRoot = fileURLToPath(new URL("../", import.meta.url));
const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
// Workspace packages resolve to their src/ through this export condition: no build needed.
const conditions = ["@auth-recipes/source"];

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { conditions },
        ssr: { resolve: { conditions } },
        test: {
          name: "docs-samples",
          root: docsRoot,
          include: ["snippets/**/*.test.ts"],
          testTimeout: 20_000,
          hookTimeout: 20_000,
        },
      },
      {
        test: {
          name: "docs-site",
          root: docsRoot,
          include: ["test/*.test.ts"],
          testTimeout: 15_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: "docs-text",
          root: docsRoot,
          include: ["test/text/*.test.ts"],
          // One tsc program over every block: about a minute on a busy 2-core machine.
          testTimeout: 300_000,
        },
      },
    ],
    reporters: process.env.CI ? ["default", "json"] : ["default"],
    outputFile: { json: `${repoRoot}.ci/results/docs.json` },
  },
});
