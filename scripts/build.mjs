#!/usr/bin/env node
// Builds the published packages with the root tsdown.config.ts, through tsdown's API rather than its
// CLI: the CLI prints a Node 20 deprecation notice on every run (once per package, six times a build).
// tsdown is pinned to 0.21.10, the last minor that supports Node 20 (TOOLCHAIN.md); the notice is about
// the next minor, which CI would only meet through a deliberate upgrade.
//
//   node scripts/build.mjs                       every package in packages/*
//   node scripts/build.mjs @auth-recipes/core    the packages named
//   (in packages/<name>) pnpm build              that package alone
import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "tsdown";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const here = process.cwd();
let filter = process.argv.slice(2);
if (filter.length === 0 && relative(root, here) !== "") {
  filter = [JSON.parse(readFileSync(join(here, "package.json"), "utf8")).name];
}
// tsdown matches a filter against a package's name or its folder relative to the working directory.
process.chdir(root);
await build({ config: join(root, "tsdown.config.ts"), ...(filter.length ? { filter } : {}) });
