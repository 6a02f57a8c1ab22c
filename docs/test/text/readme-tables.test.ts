// Each recipe is documented once: its package README, which the docs site's recipe page includes. The
// README's options tables, which npm and GitHub show, are written from the TSDoc (`npm run docs:tables`)
// through the API reference: this fails when one has drifted. Needs docs/api (`npm run docs:build`).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { README_TABLE, withReadmeTables } from "../../.vitepress/api-tables.ts";
import { DOCS_ROOT, REPO_ROOT } from "./markdown.ts";

const RECIPES = ["segment", "slack", "stripe", "webhook", "welcome-email"];

describe("the recipes' READMEs and pages", () => {
  it("has each recipe page include its README, and nothing else of its own but a title", () => {
    for (const recipe of RECIPES) {
      const page = readFileSync(join(DOCS_ROOT, "recipes", `${recipe}.md`), "utf8");
      expect(page).toContain(`<!--@include: ../../packages/${recipe}/README.md#docs-->`);
      const own = page
        .split("\n")
        .filter((line) => line.trim() && !line.startsWith("# ") && !line.startsWith("<!--"));
      expect(own, `docs/recipes/${recipe}.md`).toEqual([]);
      const readme = readFileSync(join(REPO_ROOT, "packages", recipe, "README.md"), "utf8");
      expect(readme).toMatch(/^<!-- #region docs -->$[\s\S]+^<!-- #endregion docs -->$/m);
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
    expect(tables).toBeGreaterThanOrEqual(RECIPES.length);
    expect(drifted, "run `npm run docs:tables`").toEqual([]);
  });
});
