// The markdown a reader meets: the READMEs (root, packages, examples) and the docs site's pages. The
// text tests read these files as they are written, before VitePress includes or renders anything.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const DOCS_ROOT = join(REPO_ROOT, "docs");

/** Markdown files under `dir`, recursively, leaving out generated and installed folders. */
function markdownUnder(dir: string): string[] {
  const skip = new Set(["node_modules", "api", ".vitepress", "snippets", "test", "artifacts"]);
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return skip.has(entry.name) ? [] : markdownUnder(path);
    return entry.name.endsWith(".md") ? [path] : [];
  });
}

function readmesIn(dir: string): string[] {
  return readdirSync(join(REPO_ROOT, dir))
    .map((name) => join(REPO_ROOT, dir, name, "README.md"))
    .filter((path) => existsSync(path));
}

/** Every README and docs page, as absolute paths. */
export function markdownFiles(): string[] {
  return [
    join(REPO_ROOT, "README.md"),
    ...readmesIn("packages"),
    ...readmesIn("examples"),
    ...markdownUnder(DOCS_ROOT),
  ];
}

export interface CodeBlock {
  /** The fence's language: `ts`, `sh`, `tsx`… */
  lang: string;
  /** 1-based line of the block's first line of code in its file. */
  line: number;
  code: string;
}

/** The fenced code blocks of a markdown text (``` fences, any indentation of none). */
export function codeBlocks(text: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)/.exec(lines[i] ?? "");
    if (!open) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !(lines[end] ?? "").startsWith("```")) end++;
    blocks.push({ lang: open[1] ?? "", line: start + 1, code: lines.slice(start, end).join("\n") });
    i = end;
  }
  return blocks;
}

export function read(path: string): string {
  return readFileSync(path, "utf8");
}

export function shortPath(path: string): string {
  return relative(REPO_ROOT, path);
}
