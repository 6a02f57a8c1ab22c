// Every TypeScript block in a README or a docs page type-checks as shown, on its own, against the
// published packages' types (their dist/*.d.ts, as a user's install resolves them: run `npm run build`
// first). A block is self-contained: it shows its imports and declares (`declare const adapter: …`)
// what it takes from the reader's app. A block whose first line names a file (`// db/schema.ts`) is
// written at that path, so a later block of the same page may import it (`from "./db/schema"`).
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { codeBlocks, DOCS_ROOT, markdownFiles, REPO_ROOT, read, shortPath } from "./markdown.ts";

// Inside docs/, so that imports resolve to what docs/node_modules holds: the packages, their SDKs, next-auth 4.
const OUT = join(DOCS_ROOT, ".snippets-check");
const TS_LANGS = new Set(["ts", "tsx", "typescript"]);
const FILE_NAME = /^\/\/ ((?:[\w.-]+\/)*[\w.-]+\.tsx?)(?:[\s:,]|$)/;

/** What a user's strict app would set; no `@auth-recipes/source` condition, so dist types are used. */
const OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  moduleDetection: ts.ModuleDetectionKind.Force,
  lib: ["lib.es2023.d.ts", "lib.dom.d.ts"],
  types: ["node"],
  jsx: ts.JsxEmit.ReactJSX,
  strict: true,
  noUncheckedIndexedAccess: true,
  esModuleInterop: true,
  skipLibCheck: true,
  allowImportingTsExtensions: true,
  resolveJsonModule: true,
  noEmit: true,
};

interface Written {
  file: string;
  markdown: string;
  /** The markdown line of the block's first line. */
  line: number;
}

function writeSnippets(markdown: string): Written[] {
  const dir = join(OUT, relative(REPO_ROOT, markdown).replace(/[/.]/g, "_"));
  const written: Written[] = [];
  for (const block of codeBlocks(read(markdown))) {
    if (!TS_LANGS.has(block.lang)) continue;
    const ext = block.lang === "tsx" ? "tsx" : "ts";
    const named = FILE_NAME.exec(block.code)?.[1];
    const file = join(dir, named ?? `block-${block.line}.${ext}`);
    // Two blocks of one page showing the same file (auth.ts, then a fuller auth.ts): a later block
    // imports the latest one, and the earlier one is still checked under another name.
    const earlier = written.find((w) => w.file === file);
    if (earlier) {
      earlier.file = join(dir, `block-${earlier.line}.${ext}`);
      renameSync(file, earlier.file);
    }
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${block.code}\n`);
    written.push({ file, markdown, line: block.line });
  }
  return written;
}

function missingBuilds(): string[] {
  const packages = join(REPO_ROOT, "packages");
  return readdirSync(packages).filter(
    (name) =>
      existsSync(join(packages, name, "src/index.ts")) &&
      !existsSync(join(packages, name, "dist/index.d.ts")),
  );
}

/** Type-checks one page's blocks together; the errors as `file:line: message`. */
function check(blocks: Written[]): { errors: string[] } {
  const program = ts.createProgram({ rootNames: blocks.map((b) => b.file), options: OPTIONS });
  const errors = ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
    const block = blocks.find((b) => b.file === diagnostic.file?.fileName);
    if (!block || !diagnostic.file || diagnostic.start === undefined) return `(global) ${message}`;
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    return `${shortPath(block.markdown)}:${block.line + line}: TS${diagnostic.code} ${message}`;
  });
  return { errors };
}

describe("the TypeScript blocks of the READMEs and the docs", () => {
  it("type-check as shown against the published types", () => {
    const missing = missingBuilds();
    if (missing.length)
      throw new Error(`packages not built (${missing.join(", ")}): run \`npm run build\` first`);
    rmSync(OUT, { recursive: true, force: true });
    const pages = markdownFiles()
      .map(writeSnippets)
      .filter((blocks) => blocks.length);
    expect(pages.flat().length).toBeGreaterThan(20);
    // One program for speed; a page that augments a package's types (`declare module`) gets its own,
    // so its augmentation reaches its blocks only, as it would in the reader's app.
    const augments = (blocks: Written[]) =>
      blocks.some((b) => /^declare module ["']@auth-recipes\//m.test(read(b.file)));
    const groups = [pages.filter((p) => !augments(p)).flat(), ...pages.filter(augments)];
    const errors = groups.flatMap((blocks) => check(blocks).errors);
    if (process.env.SNIPPET_ERRORS) writeFileSync(process.env.SNIPPET_ERRORS, errors.join("\n"));
    expect(errors).toEqual([]);
  });

  it("fails a block that does not compile (the check itself can fail)", () => {
    const file = join(OUT, "self-test", "broken.ts");
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(
      file,
      'import { composeEvents } from "@auth-recipes/core";\ncomposeEvents([], { timeoutMs: "5s" });\nadapter;\n',
    );
    const { errors } = check([{ file, markdown: join(REPO_ROOT, "x.md"), line: 10 }]);
    expect(errors).toEqual([
      expect.stringMatching(/^x\.md:11: TS2322 /),
      expect.stringMatching(/^x\.md:12: TS2304 Cannot find name 'adapter'/),
    ]);
  });
});
