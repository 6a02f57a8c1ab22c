#!/usr/bin/env node
// Source rules that Biome has no rule for, run by `npm run lint`:
// - no import cycles inside a package's src/ (type-only imports included: a cycle of types still ties
//   the files' meanings to each other);
// - outside core, no error message that writes the `[auth-recipes/<pkg>]` prefix by hand: the kit's
//   `prefixed`, `configError`, `requiredOption` and `UpstreamError` write it, so it is one format.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const root = resolve(dirname(new URL(import.meta.url).pathname), "..");
const packages = join(root, "packages");
const problems = [];

function sources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

// Comments hold the prefix on purpose (TSDoc says what a message reads); code may not.
const stripComments = (text) =>
  text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:])\/\/.*$/gm, "$1");

for (const pkg of readdirSync(packages)) {
  const src = join(packages, pkg, "src");
  let files;
  try {
    files = sources(src);
  } catch {
    continue;
  }
  const graph = new Map();
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    const imports = [...text.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s+"(\.{1,2}\/[^"]+)"/gms)];
    graph.set(
      file,
      imports.map((match) => resolve(dirname(file), match[1])),
    );
    if (pkg !== "core" && /\[auth-recipes\//.test(stripComments(text))) {
      problems.push(
        `${relative(root, file)}: builds the "[auth-recipes/…]" prefix by hand; use prefixed(), configError() or UpstreamError from @auth-recipes/core/kit`,
      );
    }
  }
  const state = new Map();
  const visit = (file, stack) => {
    state.set(file, "open");
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (!graph.has(next)) continue;
      if (state.get(next) === "open") {
        const cycle = [...stack.slice(stack.indexOf(next)), next].map((f) => relative(root, f));
        problems.push(`import cycle: ${cycle.join(" -> ")}`);
      } else if (!state.has(next)) visit(next, stack);
    }
    stack.pop();
    state.set(file, "done");
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file, []);
}

if (problems.length) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log("source rules: no import cycles, no hand-built prefixes");
