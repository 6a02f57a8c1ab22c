// Recipe pages show each options table straight from the API reference that typedoc generates from the
// TSDoc at every build, so a table can never drift from the code. A page asks for one with a line
//   <!-- api-table: @auth-recipes/stripe StripeCustomerOptions -->
// and gets | Option | Description |, links pointing into the reference. A package README holds the
// same directive with a table for npm below it, up to `<!-- /api-table -->`: `npm run docs:tables`
// writes that one (`readmeTable`), and a page that includes the README shows the site's instead.
import { existsSync, readFileSync } from "node:fs";
import type { MarkdownRenderer } from "vitepress";

const API_DIR = new URL("../api/", import.meta.url);
const DIRECTIVE = /^<!-- api-table: (\S+) (\S+) -->$/gm;

function apiPage(pkg: string): string {
  const file = new URL(`${pkg}.md`, API_DIR);
  if (!existsSync(file)) {
    throw new Error(
      `api-table: ${file.pathname} is missing: run \`pnpm api\` (docs:build does) first`,
    );
  }
  return readFileSync(file, "utf8");
}

/** Rewrites the reference page's relative links so that they work from any page. */
function absoluteLinks(text: string, pkg: string): string {
  const base = `/api/${pkg.slice(0, pkg.lastIndexOf("/") + 1)}`;
  return text.replace(
    /\]\(([^)\s#]*?)(?:\.md)?(#[^)\s]*)?\)/g,
    (_match, path: string, hash = "") =>
      path ? `](${base}${path}${hash})` : `](/api/${pkg}${hash})`,
  );
}

/**
 * A type as typedoc writes it in a table cell (every token its own code span, names linked) made one
 * code span: `(user) => Awaitable<string \| null>`. The reference page keeps the links.
 */
function plainType(cell: string): string {
  const text = cell
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/`/g, "")
    .replace(/\\([<>_*{}[\]])/g, "$1")
    // A union typedoc breaks over lines starts with a bar.
    .replace(/^\s*\\\|\s*/, "");
  return `\`${text}\``;
}

/** One property of an options interface, as the reference states it. */
export interface OptionRow {
  name: string;
  required: boolean;
  /** One code span. */
  type: string;
  /** The TSDoc's text, without its default. */
  description: string;
  /** The `@default`, as typedoc writes it, or undefined. */
  defaultValue: string | undefined;
}

/** The properties of `name` (an interface) on `pkg`'s reference page, in their declared order. */
export function optionRows(pkg: string, name: string): OptionRow[] {
  const lines = apiPage(pkg).split("\n");
  const start = lines.indexOf(`### ${name}`);
  if (start < 0) throw new Error(`api-table: no "${name}" in the API reference of ${pkg}`);
  const rows: string[] = [];
  let inProperties = false;
  for (const line of lines.slice(start + 1)) {
    if (/^(#{1,3} |\*\*\*)/.test(line)) break;
    // Only the properties: a generic interface's type parameters come first, in a table of their own.
    if (line.startsWith("#### ")) inProperties = line === "#### Properties";
    if (inProperties && line.startsWith("| <a id=")) rows.push(line);
  }
  if (!rows.length) throw new Error(`api-table: "${name}" in ${pkg} has no properties table`);
  return rows.map((row) => {
    // | <a id="property-x"></a> `x?` | type | description **Default** `value` |
    const cells = row
      .replace(/^\| <a id="[^"]*"><\/a> /, "")
      .replace(/ \|$/, "")
      .split(/ \| /);
    const [property = "", type = "", ...rest] = cells;
    const text = rest.join(" \\| ");
    const match = /\s*\*\*Default\*\*\s*(.*)$/.exec(text);
    return {
      name: property.replace(/`/g, "").replace(/\?$/, ""),
      required: !property.endsWith("?`"),
      type: plainType(type),
      description: match ? text.slice(0, match.index) : text,
      defaultValue: match?.[1],
    };
  });
}

/** The options table of `name` (an interface) on `pkg`'s reference page: option and type, meaning and default. */
export function optionsTable(pkg: string, name: string): string {
  const body = optionRows(pkg, name).map((row) => {
    const description = row.defaultValue
      ? `${row.description}<br>**Default:** ${row.defaultValue}`
      : row.description;
    const option = `**\`${row.name}\`**${row.required ? " (required)" : ""}<br>${row.type}`;
    return `| ${option} | ${description} |`;
  });
  const table = ["| Option | Description |", "| --- | --- |", ...body];
  // Wrapped for the theme's CSS (style.css): a full-width table whose cells wrap, no sideways scroll.
  return `<div class="options-table">\n\n${absoluteLinks(table.join("\n"), pkg)}\n\n</div>`;
}

/** Where the site is published: README links point there, and the site turns them into its own links. */
export const SITE_URL = "https://auth-recipes.github.io/auth-recipes/";

/**
 * The same table for a package README, which npm and GitHub render: one row per option, links to the
 * published reference. `npm run docs:tables` writes it between the README's markers.
 */
export function readmeTable(pkg: string, name: string): string {
  const body = optionRows(pkg, name).map(
    (row) =>
      `| \`${row.name}\` | ${row.type} | ${row.required ? "required" : (row.defaultValue ?? "none")} | ${row.description.trim()} |`,
  );
  const table = ["| option | type | default | meaning |", "| --- | --- | --- | --- |", ...body];
  return absoluteLinks(table.join("\n"), pkg).replace(/\]\(\/api\//g, `](${SITE_URL}api/`);
}

/** A README's directive with the table written below it, up to the closing marker. */
export const README_TABLE = /^<!-- api-table: (\S+) (\S+) -->\n[\s\S]*?<!-- \/api-table -->$/gm;

/** A README with every table between its markers written from the reference. */
export function withReadmeTables(readme: string): string {
  return readme.replace(
    README_TABLE,
    (_block, pkg: string, name: string) =>
      `<!-- api-table: ${pkg} ${name} -->\n\n${readmeTable(pkg, name)}\n\n<!-- /api-table -->`,
  );
}

/** The markdown-it plugin: replaces each directive before the page is parsed (and indexed for search). */
export function apiTables(md: MarkdownRenderer): void {
  md.core.ruler.before("block", "api-table", (state) => {
    // An included README's own copy of the table (for npm and GitHub) gives way to the site's.
    state.src = state.src
      .replace(README_TABLE, (_block, pkg: string, name: string) => optionsTable(pkg, name))
      .replace(DIRECTIVE, (_line, pkg: string, name: string) => optionsTable(pkg, name));
  });
}

/**
 * The package READMEs link to the published site (they are read on npm and GitHub too); included into
 * a page, those links become the site's own, so they follow its base and its dead-link check.
 */
export function siteLinks(md: MarkdownRenderer): void {
  md.core.ruler.after("inline", "site-links", (state) => {
    for (const block of state.tokens) {
      for (const token of block.children ?? []) {
        const href = token.type === "link_open" ? token.attrGet("href") : null;
        if (href?.startsWith(SITE_URL)) token.attrSet("href", `/${href.slice(SITE_URL.length)}`);
      }
    }
  });
}
