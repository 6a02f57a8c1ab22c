// The Auth.js v5 integration test alone (`pnpm test`): no browser, no build.
import { defineConfig } from "vitest/config";

const conditions = ["@auth-recipes/source"];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    name: "example-next-app",
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
