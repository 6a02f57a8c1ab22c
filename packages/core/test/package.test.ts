import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const srcDir = new URL("../src/", import.meta.url);

describe("the package", () => {
  it("has no runtime dependencies, and next-auth is only an optional peer", () => {
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.peerDependenciesMeta["next-auth"].optional).toBe(true);
  });

  it("imports nothing outside itself at run time (next-auth is used for nothing but tests)", () => {
    for (const file of readdirSync(srcDir)) {
      const source = readFileSync(new URL(file, srcDir), "utf8");
      const specifiers = [
        ...source.matchAll(/^\s*(?:import|export)(?!\s+type)[^"']*from\s+["']([^"']+)["']/gm),
      ].map((m) => m[1]);
      for (const specifier of specifiers)
        expect(specifier, `${file} imports ${specifier}`).toMatch(/^\.\//);
    }
  });
});
