// `pnpm pages` (run by the docs' dev and build scripts): writes one page per recipe package,
// docs/recipes/<dir>.md, from its manifest (package.json, "auth-recipes") and README: the title, then the
// README's `docs` region. The pages are real files, not a dynamic route, because the site's local search
// indexes files; they are git-ignored, since the README is the one copy.
import { readdirSync, rmSync, writeFileSync } from "node:fs";
import { recipePackages } from "../../scripts/recipe-packages.ts";

const RECIPES_DIR = new URL("../recipes/", import.meta.url);

/** A recipe package's docs page: where it goes under docs/ and what it holds. */
export interface RecipePage {
  /** The package's folder, and the page's name: `recipes/<dir>.md`. */
  dir: string;
  content: string;
}

/** Every recipe package's page, in the manifests' order. */
export function recipePages(): RecipePage[] {
  return recipePackages().map(({ dir, title }) => ({
    dir,
    content: `# ${title}\n\n<!-- Written by docs/scripts/recipe-pages.ts: edit packages/${dir}/README.md. -->\n<!--@include: ../../packages/${dir}/README.md#docs-->\n`,
  }));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const pages = recipePages();
  const wanted = new Set(pages.map(({ dir }) => `${dir}.md`));
  // A page whose package is gone goes too; index.md is the overview, written by hand.
  for (const name of readdirSync(RECIPES_DIR)) {
    if (name.endsWith(".md") && name !== "index.md" && !wanted.has(name)) {
      rmSync(new URL(name, RECIPES_DIR));
    }
  }
  for (const { dir, content } of pages) writeFileSync(new URL(`${dir}.md`, RECIPES_DIR), content);
  console.log(`wrote ${pages.length} recipe pages in docs/recipes/`);
}
