// Recipe pages show each options table straight from the API reference that typedoc generates from the
// TSDoc at every build, so a table can never drift from the code. A page asks for one with a line
//   <!-- api-table: @auth-recipes/stripe StripeCustomerOptions -->
// and gets | Option | Type | Default | Description |, links pointing into the reference.
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

/** The options table of `name` (an interface) on `pkg`'s reference page: option and type, meaning and default. */
export function optionsTable(pkg: string, name: string): string {
  const lines = apiPage(pkg).split("\n");
  const start = lines.indexOf(`### ${name}`);
  if (start < 0) throw new Error(`api-table: no "${name}" in the API reference of ${pkg}`);
  const rows: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^(#{1,3} |\*\*\*)/.test(line)) break;
    if (line.startsWith("| <a id=")) rows.push(line);
  }
  if (!rows.length) throw new Error(`api-table: "${name}" in ${pkg} has no properties table`);
  const body = rows.map((row) => {
    // | <a id="property-x"></a> `x?` | type | description **Default** `value` |
    const cells = row
      .replace(/^\| <a id="[^"]*"><\/a> /, "")
      .replace(/ \|$/, "")
      .split(/ \| /);
    const [property = "", type = "", ...rest] = cells;
    let description = rest.join(" \\| ");
    const required = !property.endsWith("?`");
    const match = /\s*\*\*Default\*\*\s*(.*)$/.exec(description);
    if (match) description = `${description.slice(0, match.index)}<br>**Default:** ${match[1]}`;
    const option = `**${property.replace("?`", "`")}**${required ? " (required)" : ""}<br>${plainType(type)}`;
    return `| ${option} | ${description} |`;
  });
  const table = ["| Option | Description |", "| --- | --- |", ...body];
  // Wrapped for the theme's CSS (style.css): a full-width table whose cells wrap, no sideways scroll.
  return `<div class="options-table">\n\n${absoluteLinks(table.join("\n"), pkg)}\n\n</div>`;
}

/** The markdown-it plugin: replaces each directive before the page is parsed (and indexed for search). */
export function apiTables(md: MarkdownRenderer): void {
  md.core.ruler.before("block", "api-table", (state) => {
    state.src = state.src.replace(DIRECTIVE, (_line, pkg: string, name: string) =>
      optionsTable(pkg, name),
    );
  });
}
