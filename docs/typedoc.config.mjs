// The API reference, generated from every published package's TSDoc at every docs build into docs/api/
// (git-ignored: it is never written or copied by hand).
import { apiEntries } from "./typedoc/entries.mjs";

/** @type {Partial<import("typedoc").TypeDocOptions & import("typedoc-plugin-markdown").PluginOptions & Record<string, unknown>>} */
export default {
  // One program over every package's entry points, each module named by its import path (the plugin
  // module-names.mjs): api/@auth-recipes/core.md, api/@auth-recipes/core/kit.md.
  entryPointStrategy: "resolve",
  entryPoints: apiEntries().map(({ file }) => file),
  tsconfig: "tsconfig.api.json",
  // `pnpm typecheck` checks the packages; a half-edited file must not stop the docs.
  skipErrorChecking: true,
  excludeInternal: true,
  disableGit: true,
  // Options read in the order their TSDoc was written: required ones first, as the packages declare them.
  sort: ["kind", "source-order"],
  plugin: [
    "typedoc-plugin-markdown",
    "typedoc-vitepress-theme",
    "./typedoc/module-names.mjs",
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
