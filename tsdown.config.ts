// The one build configuration of the published packages (packages/*): ESM and CommonJS with declarations
// for each, then publint --strict and arethetypeswrong on the packed tarball, so a broken `exports` map
// fails the build instead of reaching npm. A package states only what differs, in its package.json's
// `tsdown` field (the testing package: more entries, Node platform). Run it with `pnpm build`
// (scripts/build.mjs), or `pnpm build` inside one package for that package alone.
import { defineConfig } from "tsdown";

export default defineConfig({
  workspace: { include: ["packages/*"] },
  // An object, not an array: tsdown merges a package's config into this one with defu, which concatenates
  // arrays (src/index.ts would be built twice) but merges objects by key.
  entry: { index: "src/index.ts" },
  format: ["esm", "cjs"],
  dts: true,
  // Core and the recipes run wherever next-auth's config does, the edge runtime included.
  platform: "neutral",
  target: "es2022",
  publint: { strict: true },
  // node16: the packages are dual, and node10's resolution (no `exports`) is not a supported consumer.
  attw: { profile: "node16", level: "error" },
});
