// Every command the READMEs, the docs and the demo's banner print must work on a fresh clone after
// `npm run setup`, with only Node and npm on PATH: a bare `pnpm` is not there (setup runs the pinned one
// through npx), and an `npm run x` must name a script that exists.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { codeBlocks, markdownFiles, REPO_ROOT, read, shortPath } from "./markdown.ts";

interface Shown {
  where: string;
  command: string;
  /** The folder whose package.json the command may also mean (a README's own). */
  folder: string;
}

const SHELL = new Set(["sh", "bash", "shell", "console"]);
const COMMAND = /^(?:[A-Z_]+=\S*\s+)*(npm|npx|pnpm|yarn)\s/;

function commandsOf(text: string, where: string, folder: string): Shown[] {
  const shown: Shown[] = [];
  const add = (command: string, line: number) => {
    for (const part of command.split(/\s*(?:&&|\|\||;)\s*/)) {
      const clean = part.trim();
      if (COMMAND.test(clean)) shown.push({ where: `${where}:${line}`, command: clean, folder });
    }
  };
  for (const block of codeBlocks(text)) {
    if (!SHELL.has(block.lang)) continue;
    block.code.split("\n").forEach((line, index) => {
      add(line.replace(/\s#.*$/, ""), block.line + index);
    });
  }
  // Inline code spans, outside fences: `npm run demo -- --fresh`.
  text.split("\n").forEach((line, index) => {
    for (const match of line.matchAll(/`([^`\n]+)`/g)) add(match[1] ?? "", index + 1);
  });
  return shown;
}

/** What the demo prints and the app's pages say, as source text: the commands inside its strings. */
function demoCommands(): Shown[] {
  const files = [
    "examples/next-app/scripts/demo.ts",
    "examples/next-app/src/app/deliveries/deliveries-view.tsx",
  ];
  return files.flatMap((file) => {
    const text = read(join(REPO_ROOT, file));
    return text.split("\n").flatMap((line, index) =>
      [...line.matchAll(/(?:`|<code>)((?:npm|npx|pnpm)\s[^`<]+)(?:`|<\/code>)/g)].map((m) => ({
        where: `${file}:${index + 1}`,
        command: (m[1] ?? "").trim(),
        folder: REPO_ROOT,
      })),
    );
  });
}

function scripts(folder: string): Record<string, string> {
  const file = join(folder, "package.json");
  if (!existsSync(file)) return {};
  return (
    (JSON.parse(readFileSync(file, "utf8")) as { scripts?: Record<string, string> }).scripts ?? {}
  );
}

/** Workspace packages by name, for `npx pnpm --filter <name> <script>`. */
function workspacePackages(): Map<string, string> {
  const found = new Map<string, string>();
  for (const group of ["packages", "examples", "docs", "bench"]) {
    const dirs = group === "docs" || group === "bench" ? [""] : readdirSync(join(REPO_ROOT, group));
    for (const dir of dirs) {
      const folder = join(REPO_ROOT, group, dir);
      const manifest = join(folder, "package.json");
      if (existsSync(manifest)) found.set(JSON.parse(readFileSync(manifest, "utf8")).name, folder);
    }
  }
  return found;
}

/** Why the command would fail after `npm run setup`, or undefined when it works. */
function problem({ command, folder }: Shown): string | undefined {
  const words = command.replace(/^(?:[A-Z_]+=\S*\s+)*/, "").split(/\s+/);
  const [tool, sub, name] = words;
  if (tool === "pnpm" || tool === "yarn")
    return `\`${tool}\` is not on PATH after \`npm run setup\`: write \`npm run …\` or \`npx pnpm …\``;
  if (tool === "npm" && (sub === "run" || sub === "test" || sub === "start")) {
    const script = sub === "run" ? name : sub;
    if (!script) return "`npm run` without a script name";
    const known = { ...scripts(REPO_ROOT), ...scripts(folder) };
    return known[script]
      ? undefined
      : `no script "${script}" in the root's or the folder's package.json`;
  }
  if (tool === "npx" && sub === "pnpm") {
    const filter = words.indexOf("--filter");
    if (filter < 0) return undefined;
    const pkg = words[filter + 1] ?? "";
    const script = words[filter + 2];
    const pkgFolder = workspacePackages().get(pkg);
    if (!pkgFolder) return `no workspace package "${pkg}"`;
    if (
      script &&
      !["exec", "run", "install", "add"].includes(script) &&
      !scripts(pkgFolder)[script]
    )
      return `${pkg} has no script "${script}"`;
  }
  return undefined;
}

/**
 * The folder a page's commands run in: its own, or the one a line
 * `<!-- commands: snippets/recipe-package/package.json -->` names (a page about the reader's own package).
 */
function folderOf(file: string, text: string): string {
  const named = /<!-- commands: (\S+)package\.json -->/.exec(text);
  return named ? join(dirname(file), named[1] ?? "") : dirname(file);
}

const shown: Shown[] = [
  ...markdownFiles().flatMap((file) => {
    const text = read(file);
    return commandsOf(text, shortPath(file), folderOf(file, text));
  }),
  ...demoCommands(),
];

describe("the commands the docs print", () => {
  it("finds the commands (the parser still reads the docs)", () => {
    expect(shown.map((s) => s.command)).toEqual(
      expect.arrayContaining([
        "npm run setup",
        "npm run demo",
        "npm run docs:dev",
        "npm run bench",
      ]),
    );
  });

  it("are each a command that works with only Node and npm after `npm run setup`", () => {
    const broken = shown.flatMap((s) => {
      const why = problem(s);
      return why ? [`${s.where}: ${s.command}: ${why}`] : [];
    });
    expect(broken).toEqual([]);
  });

  it("rejects what a newcomer could not run (the check itself can fail)", () => {
    expect(problem({ where: "x", command: "pnpm test", folder: REPO_ROOT })).toMatch(/not on PATH/);
    expect(problem({ where: "x", command: "npm run nope", folder: REPO_ROOT })).toMatch(
      /no script/,
    );
    expect(
      problem({
        where: "x",
        command: "npx pnpm --filter @auth-recipes/nope build",
        folder: REPO_ROOT,
      }),
    ).toMatch(/no workspace package/);
    expect(
      problem({ where: "x", command: "npm run demo -- --fresh", folder: REPO_ROOT }),
    ).toBeUndefined();
  });
});
