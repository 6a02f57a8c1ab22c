// `npm run demo` on a fresh clone: the launcher builds the workspace packages, so nothing it loads before
// that step may import one. A static import of @auth-recipes/testing (through queue-processes.ts) once
// crashed the README's Quick start with ERR_MODULE_NOT_FOUND before anything ran. This walks the static
// imports from scripts/demo.ts, as Node loads them, and finds every workspace package among them.
import { readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, test } from "vitest";

const APP_DIR = fileURLToPath(new URL("..", import.meta.url));

/** The module specifiers a file loads when it is evaluated: type-only imports and exports are erased. */
function staticImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest);
  const specifiers: string[] = [];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      if (clause?.isTypeOnly) continue;
      const named = clause?.namedBindings;
      const onlyTypes =
        clause &&
        !clause.name &&
        named &&
        ts.isNamedImports(named) &&
        named.elements.length > 0 &&
        named.elements.every((element) => element.isTypeOnly);
      if (onlyTypes) continue;
      specifiers.push((statement.moduleSpecifier as ts.StringLiteral).text);
    } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier) {
      if (!statement.isTypeOnly)
        specifiers.push((statement.moduleSpecifier as ts.StringLiteral).text);
    }
  }
  return specifiers;
}

/** Every workspace package the launcher loads statically, as `file -> package`. */
function workspaceImportsFrom(entry: string): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const specifier of staticImports(file)) {
      if (specifier.startsWith(".")) visit(resolve(dirname(file), specifier));
      else if (specifier.startsWith("@auth-recipes/")) {
        found.push(`${relative(APP_DIR, file)} -> ${specifier}`);
      }
    }
  };
  visit(entry);
  return found;
}

describe("npm run demo on a clone where nothing was built", () => {
  test("the launcher imports no workspace package before its build step", () => {
    expect(workspaceImportsFrom(resolve(APP_DIR, "scripts", "demo.ts"))).toEqual([]);
  });

  test("the check sees a workspace import through a chain of files (it can fail)", () => {
    // The worker is started only after the build, so it may import @auth-recipes/bullmq at its top.
    expect(workspaceImportsFrom(resolve(APP_DIR, "scripts", "worker.ts"))).toContain(
      "scripts/worker.ts -> @auth-recipes/bullmq",
    );
  });
});
