import { defineProject } from "vitest/config";

export default defineProject({
  resolve: { conditions: ["@auth-recipes/source"] },
  ssr: { resolve: { conditions: ["@auth-recipes/source"] } },
  test: {
    name: "core",
    include: ["test/**/*.test.ts"],
    typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
  },
});
