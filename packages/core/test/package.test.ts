import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const srcDir = new URL("../src/", import.meta.url);

describe("the package", () => {
  it("has no runtime dependencies, and next-auth is only an optional peer", () => {
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.peerDependenciesMeta["next-auth"].optional).toBe(true);
  });

  it("imports nothing outside itself at run time (next-auth is used for nothing but tests)", () => {
    const files = readdirSync(srcDir, { recursive: true, encoding: "utf8" }).filter((file) =>
      file.endsWith(".ts"),
    );
    expect(files).toContain("kit/index.ts");
    for (const file of files) {
      const url = new URL(file, srcDir);
      const source = readFileSync(url, "utf8");
      const specifiers = [
        ...source.matchAll(/^\s*(?:import|export)(?!\s+type)[^"']*from\s+["']([^"']+)["']/gm),
      ].map((m) => m[1]!);
      for (const specifier of specifiers) {
        expect(specifier, `${file} imports ${specifier}`).toMatch(/^\.\.?\//);
        // Relative, and still inside src/.
        expect(fileURLToPath(new URL(specifier, url))).toContain(fileURLToPath(srcDir));
      }
    }
  });
});
