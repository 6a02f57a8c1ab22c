// Each recipe is documented once: its package README, which the docs site's recipe page includes. The
// README's options tables, which npm and GitHub show, are written from the TSDoc (`npm run docs:tables`)
// through the API reference: this fails when one has drifted. Needs docs/api (`npm run docs:build`).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { recipePackages } from "../../../scripts/recipe-packages.ts";
import { RECIPE_TABLES, withRecipeTable } from "../../../scripts/recipe-tables.ts";
import { README_TABLE, withReadmeTables } from "../../.vitepress/api-tables.ts";
import { recipePages } from "../../scripts/recipe-pages.ts";
import { DOCS_ROOT, REPO_ROOT } from "./markdown.ts";

describe("the recipes' READMEs and pages", () => {
  it("has one page per recipe package, each its title and its README's docs region", () => {
    const recipes = recipePackages();
    expect(recipes.map(({ dir }) => dir)).toEqual(
      expect.arrayContaining(["segment", "slack", "stripe", "welcome-email"]),
    );
    const pages = recipePages();
    expect(pages.map(({ dir }) => dir)).toEqual(recipes.map(({ dir }) => dir));
    for (const [index, { dir, title }] of recipes.entries()) {
      const content = pages[index]?.content ?? "";
      expect(content.startsWith(`# ${title}\n`), `the page of ${dir} starts with its title`).toBe(
        true,
      );
      expect(content).toContain(`<!--@include: ../../packages/${dir}/README.md#docs-->`);
      const readme = readFileSync(join(REPO_ROOT, "packages", dir, "README.md"), "utf8");
      expect(readme, `packages/${dir}/README.md`).toMatch(
        /^<!-- #region docs -->$[\s\S]+^<!-- #endregion docs -->$/m,
      );
    }
  });

  it("writes the README's and the overview's recipe tables from the manifests", () => {
    const recipes = recipePackages();
    const drifted = RECIPE_TABLES.filter(({ file }) => {
      const text = readFileSync(join(REPO_ROOT, file), "utf8");
      return withRecipeTable(text, RECIPE_TABLES.find((t) => t.file === file)!, recipes) !== text;
    }).map(({ file }) => file);
    expect(drifted, "run `npm run recipes:tables`").toEqual([]);
    // And what it writes follows the manifests: a recipe added to them gets its row, with its fields.
    const added = {
      ...recipes[0]!,
      dir: "acme-crm",
      name: "@auth-recipes/acme-crm",
      factory: "acmeCrm",
      recipe: "acme-crm",
      kind: "recipe" as const,
      events: ["createUser", "signIn"],
      summary: "Acme CRM: a contact for every new user",
    };
    const [readme, overview] = RECIPE_TABLES.map((table) => table.render([...recipes, added]));
    expect(readme).toMatch(
      /^\| \[`@auth-recipes\/acme-crm`\]\(packages\/acme-crm\) +\| Acme CRM: a contact for every new user +\|$/m,
    );
    expect(overview).toMatch(
      /^\| \[`@auth-recipes\/acme-crm`\]\(\.\/acme-crm\.md\) +\| `acmeCrm` +\| `acme-crm` +\| `createUser`, `signIn` +\| Acme CRM: a contact for every new user +\|$/m,
    );
    expect(() => withRecipeTable("# no markers\n", RECIPE_TABLES[0]!, recipes)).toThrow(
      /README\.md: no "<!-- recipes:start -->"/,
    );
  });

  it("lists every recipe package in the recipes overview and every published package in the README", () => {
    const overview = readFileSync(join(DOCS_ROOT, "recipes", "index.md"), "utf8");
    for (const { name, dir, factory } of recipePackages()) {
      expect(overview, `docs/recipes/index.md lists ${name}`).toContain(
        `[\`${name}\`](./${dir}.md)`,
      );
      expect(overview, `docs/recipes/index.md names ${factory}`).toContain(`\`${factory}\``);
    }
    const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
    const packages = join(REPO_ROOT, "packages");
    for (const dir of readdirSync(packages)) {
      const file = join(packages, dir, "package.json");
      if (!existsSync(file)) continue;
      const { name, private: isPrivate } = JSON.parse(readFileSync(file, "utf8"));
      if (isPrivate) continue;
      expect(readme, `README.md's package table lists ${name}`).toContain(
        `[\`${name}\`](packages/${dir})`,
      );
    }
  });

  it("writes every README's options tables from the TSDoc", () => {
    if (!existsSync(join(DOCS_ROOT, "api", "index.md")))
      throw new Error(
        "docs/api is missing: run `npm run docs:build` (or `npm run api` in docs/) first",
      );
    const packages = join(REPO_ROOT, "packages");
    const drifted: string[] = [];
    let tables = 0;
    for (const name of readdirSync(packages)) {
      const file = join(packages, name, "README.md");
      if (!existsSync(file)) continue;
      const readme = readFileSync(file, "utf8");
      tables += [...readme.matchAll(README_TABLE)].length;
      if (withReadmeTables(readme) !== readme) drifted.push(`packages/${name}/README.md`);
    }
    expect(tables).toBeGreaterThanOrEqual(recipePackages().length);
    expect(drifted, "run `npm run docs:tables`").toEqual([]);
  });
});
