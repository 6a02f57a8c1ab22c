// `npm run recipes:tables` (and `npm run new:recipe`, after it writes a package): the recipe tables of the
// root README and of the docs' recipes overview, written from the recipe packages' manifests
// (package.json, "auth-recipes") between the lines
//   <!-- recipes:start … -->
//   <!-- recipes:end -->
// so that adding a recipe is adding its folder. A docs-text test fails when a table is not what this
// writes.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type RecipePackage, recipePackages } from "./recipe-packages.ts";

/** The repository's root. */
export const ROOT: string = new URL("../", import.meta.url).pathname;

const START =
  '<!-- recipes:start (written by `npm run recipes:tables` from each recipe package\'s "auth-recipes" manifest) -->';
const END = "<!-- recipes:end -->";
const BLOCK = /^<!-- recipes:start\b.*-->\n[\s\S]*?^<!-- recipes:end -->$/m;

/** A file with a recipe table, and how its table is written. */
export interface RecipeTable {
  /** The file, relative to the repository's root. */
  file: string;
  /** The table's Markdown, without the marker lines. */
  render(recipes: readonly RecipePackage[]): string;
}

/** A Markdown table, its columns padded so that it reads as a table in a plain editor too. */
function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((cell, column) =>
    Math.max(cell.length, 3, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(" | ")} |`;
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join(
    "\n",
  );
}

const code = (text: string) => `\`${text}\``;

/** The tables: the README's (package, what it does) and the overview's (with factory, name, events). */
export const RECIPE_TABLES: readonly RecipeTable[] = [
  {
    file: "README.md",
    render: (recipes) =>
      markdownTable(
        ["package", "what it does"],
        recipes.map(({ dir, name, summary }) => [`[${code(name)}](packages/${dir})`, summary]),
      ),
  },
  {
    file: "docs/recipes/index.md",
    render: (recipes) =>
      markdownTable(
        ["package", "factory", "name", "default events", "what it does"],
        recipes.map(({ dir, name, factory, kind, recipe, events, summary }) => [
          `[${code(name)}](./${dir}.md)`,
          code(factory),
          kind === "transport" ? `(a transport of ${code(recipe)})` : code(recipe),
          events.map(code).join(", "),
          summary,
        ]),
      ),
  },
];

/** `text` with its recipe table written anew; throws when `file` has no markers. */
export function withRecipeTable(
  text: string,
  table: RecipeTable,
  recipes: readonly RecipePackage[],
): string {
  if (!BLOCK.test(text)) {
    throw new Error(`${table.file}: no "<!-- recipes:start -->" … "${END}" lines to write between`);
  }
  // Blank lines around the table: a comment line next to it could be read as one of its rows.
  return text.replace(BLOCK, () => `${START}\n\n${table.render(recipes)}\n\n${END}`);
}

/** Writes every recipe table from the manifests; returns the files it changed. */
export function writeRecipeTables(
  root: string = ROOT,
  recipes: readonly RecipePackage[] = recipePackages(join(root, "packages")),
): string[] {
  const changed: string[] = [];
  for (const table of RECIPE_TABLES) {
    const path = join(root, table.file);
    const text = readFileSync(path, "utf8");
    const next = withRecipeTable(text, table, recipes);
    if (next !== text) {
      writeFileSync(path, next);
      changed.push(table.file);
    }
  }
  return changed;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const changed = writeRecipeTables();
  console.log(
    changed.length
      ? `wrote the recipe tables of ${changed.join(", ")}`
      : "the recipe tables are up to date",
  );
}
