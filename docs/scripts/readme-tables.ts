// `npm run docs:tables`: writes each package README's options tables from the TSDoc, through the API
// reference typedoc generates (`npm run api` here, or `npm run docs:build`, first), between
//   <!-- api-table: @auth-recipes/stripe StripeCustomerOptions -->
//   <!-- /api-table -->
// The docs pages include those READMEs and show the site's own table instead; a docs-text test fails
// when a README's table is not what this writes.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { withReadmeTables } from "../.vitepress/api-tables.ts";

const packages = new URL("../../packages/", import.meta.url);

for (const name of readdirSync(packages)) {
  const file = new URL(`${name}/README.md`, packages);
  if (!existsSync(file)) continue;
  const text = readFileSync(file, "utf8");
  const next = withReadmeTables(text);
  if (next !== text) {
    writeFileSync(file, next);
    console.log(`wrote the options tables of packages/${name}/README.md`);
  }
}
