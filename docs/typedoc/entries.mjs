// The API reference's entry points: every entry each published package's `exports` map names, read
// from the `@auth-recipes/source` condition, so a new subpath export (`@auth-recipes/core/kit`) is
// documented, under its import path, without an edit here.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const packagesDir = new URL("../../packages/", import.meta.url);

/**
 * The source file and import path of every published entry point: private packages and unfinished
 * ones (no `src/index.ts`) are left out.
 * @returns {{ file: string, name: string }[]}
 */
export function apiEntries() {
  return readdirSync(packagesDir).flatMap((dir) => {
    const manifest = new URL(`${dir}/package.json`, packagesDir);
    if (!existsSync(manifest) || !existsSync(new URL(`${dir}/src/index.ts`, packagesDir)))
      return [];
    const { name, private: isPrivate, exports = {} } = JSON.parse(readFileSync(manifest, "utf8"));
    if (isPrivate === true) return [];
    return Object.entries(exports).flatMap(([subpath, target]) => {
      const source = typeof target === "object" ? target["@auth-recipes/source"] : undefined;
      if (typeof source !== "string") return [];
      return [
        {
          file: fileURLToPath(new URL(`${dir}/${source}`, packagesDir)),
          name: subpath === "." ? name : `${name}/${subpath.replace(/^\.\//, "")}`,
        },
      ];
    });
  });
}
