// The API reference, generated from every published package's TSDoc at every docs build into docs/api/
// (git-ignored: it is never written or copied by hand).
import { existsSync, readdirSync, readFileSync } from "node:fs";

const packagesDir = new URL("../packages/", import.meta.url);

/** Every published package with an entry point: private packages and unfinished ones are left out. */
const packages = readdirSync(packagesDir).filter((name) => {
  const manifest = new URL(`${name}/package.json`, packagesDir);
  if (!existsSync(manifest) || !existsSync(new URL(`${name}/src/index.ts`, packagesDir)))
    return false;
  return JSON.parse(readFileSync(manifest, "utf8")).private !== true;
});

/** @type {Partial<import("typedoc").TypeDocOptions & import("typedoc-plugin-markdown").PluginOptions & Record<string, unknown>>} */
export default {
  entryPointStrategy: "packages",
  entryPoints: packages.map((name) => `../packages/${name}`),
  packageOptions: {
    entryPoints: ["src/index.ts"],
    tsconfig: "tsconfig.json",
    readme: "none",
    // `pnpm typecheck` checks the packages; a half-edited test file must not stop the docs.
    skipErrorChecking: true,
    excludeInternal: true,
    disableSources: true,
    disableGit: true,
    // Options read in the order their TSDoc was written: required ones first, as the packages declare them.
    sort: ["kind", "source-order"],
  },
  plugin: [
    "typedoc-plugin-markdown",
    "typedoc-vitepress-theme",
    "./typedoc/hide-external-inherited.mjs",
    "./typedoc/fix-anchors.mjs",
  ],
  out: "api",
  docsRoot: ".",
  readme: "none",
  name: "API reference",
  githubPages: false,
  hideGenerator: true,
  disableSources: true,
  excludePrivate: true,
  excludeExternals: true,
  // Markdown output for VitePress.
  entryFileName: "index",
  outputFileStrategy: "modules",
  useCodeBlocks: true,
  parametersFormat: "table",
  interfacePropertiesFormat: "table",
  classPropertiesFormat: "table",
  typeDeclarationFormat: "table",
  propertyMembersFormat: "table",
  expandObjects: false,
  sidebar: { autoConfiguration: true, format: "vitepress", pretty: false, collapsed: true },
  validation: { notExported: false, invalidLink: true, rewrittenLink: true },
  treatWarningsAsErrors: false,
};
