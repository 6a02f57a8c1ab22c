#!/usr/bin/env bash
# `npm run new:recipe` as a maintainer runs it, in a scratch clone of this commit: the package it writes
# must pass lint, typecheck, build (publint --strict, attw), its tests and the docs' text checks, and be
# listed by the docs and the bench, with no hand edit anywhere.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
git clone --quiet "$repo" "$scratch/repo"
cd "$scratch/repo"
pnpm install --frozen-lockfile --prefer-offline >/dev/null
npm run new:recipe -- hello-crm
pnpm exec biome check packages/hello-crm README.md docs/recipes/index.md
pnpm --filter @auth-recipes/hello-crm typecheck
node scripts/build.mjs @auth-recipes/hello-crm
pnpm exec vitest run --config vitest.workspace.ts --project hello-crm
# The docs and the bench find it through its manifest.
node --import tsx --input-type=module -e '
  const { recipePackages } = await import("./scripts/recipe-packages.ts");
  const { PACKAGES } = await import("./bench/src/packages.ts");
  const { SIZE_BUDGETS } = await import("./bench/src/budgets.ts");
  const { recipePages } = await import("./docs/scripts/recipe-pages.ts");
  const found = {
    manifest: recipePackages().some((p) => p.dir === "hello-crm"),
    docsPage: recipePages().some((p) => p.dir === "hello-crm"),
    bench: PACKAGES.some((p) => p.dir === "hello-crm"),
    budget: SIZE_BUDGETS["@auth-recipes/hello-crm"] > 0,
  };
  console.log(found);
  if (Object.values(found).includes(false)) process.exit(1);
'
(cd docs && pnpm exec typedoc --options typedoc.config.mjs >/dev/null && pnpm exec vitest run --config test/vitest.config.ts --project docs-text test/text/readme-tables.test.ts)
echo "new:recipe: packages/hello-crm passed every check"
