import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { AuthRecipesInstrumentation } from "../src/index.ts";
import { VERSION } from "../src/version.ts";

it("src/version.ts holds package.json's version (run scripts/write-version.mjs after a bump)", () => {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  expect(VERSION).toBe(pkg.version);
  const instrumentation = new AuthRecipesInstrumentation({ enabled: false });
  expect(instrumentation.instrumentationVersion).toBe(pkg.version);
});

it("no source file imports package.json", () => {
  for (const file of [
    "index.ts",
    "instrumentation.ts",
    "spans.ts",
    "attributes.ts",
    "version.ts",
  ]) {
    const source = readFileSync(new URL(`../src/${file}`, import.meta.url), "utf8");
    expect(source, file).not.toMatch(/(?:from|import\()\s*["'][^"']*package\.json/);
  }
});
