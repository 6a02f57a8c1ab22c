// The example's test (`pnpm test` here, or the CI step): the server over HTTP against the emulators.
import { defineConfig } from "vitest/config";

const conditions = ["@auth-recipes/source"];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    name: "example-better-auth",
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    reporters: process.env.CI ? ["default", "json"] : ["default"],
    outputFile: { json: "../../.ci/results/example-better-auth.json" },
  },
});
