import { existsSync, readFileSync } from "node:fs";
import { type DefaultTheme, defineConfig } from "vitepress";
import { recipePackages } from "../../scripts/recipe-packages.ts";
import { apiTables, siteLinks } from "./api-tables.ts";

/** "The source": angle brackets and a slash, drawn for this site. */
const SOURCE_ICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M8 6 2 12l6 6M16 6l6 6-6 6M14 4l-4 16"/></svg>';

// "/" locally and in CI; a deployment under a path (GitHub Pages: /auth-recipes/) sets DOCS_BASE.
const base = process.env.DOCS_BASE ?? "/";

// typedoc writes the API pages and their sidebar before every build (`pnpm api`); a bare
// `vitepress dev` without them still starts, with an API section that only holds its index.
const apiSidebarFile = new URL("../api/typedoc-sidebar.json", import.meta.url);
const apiSidebar: DefaultTheme.SidebarItem[] = existsSync(apiSidebarFile)
  ? (JSON.parse(readFileSync(apiSidebarFile, "utf8")) as DefaultTheme.SidebarItem[])
  : [];

const guide: DefaultTheme.SidebarItem[] = [
  {
    text: "Guide",
    items: [
      { text: "Getting started", link: "/guide/getting-started" },
      { text: "How composition works", link: "/guide/composition" },
      { text: "next-auth's events: caveats", link: "/guide/next-auth-events" },
      { text: "better-auth", link: "/guide/better-auth" },
      { text: "Durable dispatch", link: "/guide/durable-dispatch" },
      { text: "Onboarding sequences", link: "/guide/onboarding-sequences" },
      { text: "Receiving webhooks", link: "/guide/receiving-webhooks" },
      { text: "Testing your configuration", link: "/guide/testing" },
      { text: "Tracing", link: "/guide/tracing" },
      { text: "Writing your own recipe", link: "/guide/writing-a-recipe" },
      { text: "Publishing a recipe", link: "/guide/publishing-a-recipe" },
    ],
  },
];

const recipes: DefaultTheme.SidebarItem[] = [
  {
    text: "Recipes",
    items: [
      { text: "Overview", link: "/recipes/" },
      // One page per recipe package, from its manifest: a new package appears here by itself.
      ...recipePackages().map(({ dir, title }) => ({ text: title, link: `/recipes/${dir}` })),
    ],
  },
];

export default defineConfig({
  title: "auth-recipes",
  description:
    "Side effects for next-auth's events: a welcome email, Slack, Stripe and Segment, run concurrently, bounded, retried and isolated.",
  lang: "en-US",
  base,
  cleanUrls: true,
  lastUpdated: false,
  // Sample sources are included into pages, not pages themselves; README.md is for contributors.
  srcExclude: ["snippets/**", "scripts/**", "test/**", "typedoc/**", "README.md"],
  head: [["link", { rel: "icon", type: "image/svg+xml", href: `${base}logo.svg` }]],
  markdown: {
    theme: { light: "github-light", dark: "github-dark" },
    config: (md) => {
      md.use(apiTables);
      md.use(siteLinks);
    },
  },
  themeConfig: {
    logo: "/logo.svg",
    nav: [
      { text: "Guide", link: "/guide/getting-started", activeMatch: "^/guide/" },
      { text: "Recipes", link: "/recipes/", activeMatch: "^/recipes/" },
      { text: "API", link: "/api/", activeMatch: "^/api/" },
      { text: "Benchmarks", link: "/benchmarks" },
    ],
    sidebar: {
      "/guide/": [...guide, ...recipes],
      "/recipes/": [...recipes, ...guide],
      "/api/": [{ text: "API reference", link: "/api/", items: apiSidebar }],
    },
    search: { provider: "local" },
    outline: { level: [2, 3] },
    // An icon of our own, inline: a named one ("github") makes `vitepress dev` fetch its SVG from
    // api.iconify.design, so the dev server would need the internet (the build inlines it).
    socialLinks: [
      {
        icon: { svg: SOURCE_ICON },
        link: "https://github.com/auth-recipes/auth-recipes",
        ariaLabel: "Source on GitHub",
      },
    ],
    footer: { message: "Released under the MIT License." },
  },
});
