// The browser tests and the Auth.js v5 test: `pnpm test:e2e`. One file at a time (each starts its own
// emulators and `next start`, and the machines have two cores); the production build happens once, in
// the global setup.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const conditions = ["@auth-recipes/source"];
const results = fileURLToPath(new URL("../../.ci/results/e2e.json", import.meta.url));

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    name: "example-next-app:e2e",
    include: ["e2e/**/*.e2e.ts", "test/**/*.test.ts"],
    globalSetup: ["e2e/global-setup.ts"],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: process.env.CI ? ["default", "json"] : ["default"],
    outputFile: { json: results },
  },
});
