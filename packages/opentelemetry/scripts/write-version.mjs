#!/usr/bin/env node
// Writes src/version.ts from package.json's version, as OpenTelemetry's own packages do: the source then
// never imports package.json (which a bundler would inline whole, and which ESM needs an import attribute
// for). The root `version-packages` script runs it after `changeset version`; a test fails when the two
// disagree.
import { readFileSync, writeFileSync } from "node:fs";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
writeFileSync(
  new URL("../src/version.ts", import.meta.url),
  `// Written by scripts/write-version.mjs from package.json: do not edit.\n/** This package's version, as published. */\nexport const VERSION = ${JSON.stringify(pkg.version)};\n`,
);
