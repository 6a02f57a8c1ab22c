// `npm run new:recipe -- <service> [--factory <name>] [--title <title>] [--no-install]`: creates
// packages/<service> from templates/recipe, every name filled in, with a changeset, then installs it into
// the workspace. The new package passes lint, typecheck, build, publint/attw and its conformance tests
// before a line of service code is written, and appears in the docs, the README's tables and the bench
// (they read its manifest). CI checks exactly that in a scratch copy (.ci/new-recipe.sh).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { writeRecipeTables } from "./recipe-tables.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const TEMPLATE = join(ROOT, "templates", "recipe");
// The template is a real recipe for a made-up service; these are its names, each replaced in every file
// (longest first, so that `acme-crm` inside `@auth-recipes/acme-crm` is not replaced twice).
const TEMPLATE_NAMES = {
  kebab: "acme-crm",
  camel: "acmeCrm",
  pascal: "AcmeCrm",
  title: "Acme CRM",
};

function fail(message: string): never {
  console.error(`new:recipe: ${message}`);
  process.exit(1);
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    factory: { type: "string" },
    title: { type: "string" },
    "no-install": { type: "boolean", default: false },
  },
});
const service = positionals[0];
if (!service || positionals.length > 1) {
  fail(
    "usage: npm run new:recipe -- <service> [--factory <name>] [--title <title>] [--no-install]",
  );
}
// An npm package name segment and a folder name: lowercase words joined by single hyphens.
if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(service) || service.length > 40) {
  fail(
    `"${service}" is not a service name: lowercase letters and digits in words joined by "-", such as "hubspot" or "acme-crm"`,
  );
}
const words = service.split("-");
const camel =
  values.factory ??
  words[0] +
    words
      .slice(1)
      .map((w) => w[0]!.toUpperCase() + w.slice(1))
      .join("");
if (!/^[a-z][A-Za-z0-9]*$/.test(camel)) fail(`--factory "${camel}" is not a camelCase identifier`);
const pascal = camel[0]!.toUpperCase() + camel.slice(1);
const title = values.title ?? words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join(" ");
// It lands in Markdown table cells (the manifest's summary) and in TSDoc.
if (/[\r\n"`<>|]/.test(title)) {
  fail("--title may not hold line breaks, quotes, pipes or angle brackets");
}

const target = join(ROOT, "packages", service);
if (existsSync(target)) fail(`packages/${service} already exists`);

const replace = (text: string) =>
  text
    .replaceAll(TEMPLATE_NAMES.title, title)
    .replaceAll(TEMPLATE_NAMES.pascal, pascal)
    .replaceAll(TEMPLATE_NAMES.camel, camel)
    .replaceAll(TEMPLATE_NAMES.kebab, service);

function copy(from: string, to: string): void {
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const destination = join(to, replace(entry.name));
    if (entry.isDirectory()) {
      copy(source, destination);
    } else {
      mkdirSync(dirname(destination), { recursive: true });
      writeFileSync(destination, replace(readFileSync(source, "utf8")));
    }
  }
}
copy(TEMPLATE, target);

const changeset = join(ROOT, ".changeset", `${service}-initial.md`);
if (!existsSync(changeset)) {
  writeFileSync(
    changeset,
    `---\n"@auth-recipes/${service}": minor\n---\n\nFirst release of \`@auth-recipes/${service}\`: \`${camel}()\`, a recipe for ${title}.\n`,
  );
}

// The README's and the recipes overview's tables are written from the manifests, the new one's included.
for (const file of writeRecipeTables()) console.log(`wrote the recipe table of ${file}`);

// Names of another length sort and wrap differently: let the formatter settle the new files.
spawnSync("biome", ["check", "--write", `packages/${service}`], { cwd: ROOT, stdio: "ignore" });

console.log(
  `created packages/${service} (@auth-recipes/${service}, factory ${camel}) and .changeset/${service}-initial.md`,
);
if (!values["no-install"]) {
  // Links the new package into the workspace: the lockfile gains its entry (not frozen, which pnpm
  // otherwise assumes where CI is set).
  const install = spawnSync("pnpm", ["install", "--no-frozen-lockfile", "--prefer-offline"], {
    cwd: ROOT,
    stdio: "inherit",
  });
  if (install.status !== 0) fail("pnpm install failed: run it yourself, then the checks below");
}
console.log(`next:
  write the service's calls in packages/${service}/src/${service}.ts and its emulator in test/
  npx vitest run --config vitest.workspace.ts --project ${service}
  pnpm --filter @auth-recipes/${service} typecheck && pnpm build @auth-recipes/${service}
  npm run docs:tables   (after npm run docs:build) writes the README's options table`);
