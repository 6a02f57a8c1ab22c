// The built site in a real browser: every page loads without a console error, a failed request or a
// link to a missing page or anchor; search finds the Stripe recipe; dark mode switches; and the home
// page and a recipe page are written to artifacts/ as screenshots, for a person to look at.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type StaticServer, serveStatic } from "./static-server.ts";

const DIST = fileURLToPath(new URL("../.vitepress/dist", import.meta.url));
const ARTIFACTS = fileURLToPath(new URL("../../artifacts", import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
// Debian's Chromium, never a downloaded one; no network beyond what the page asks for.
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

function htmlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".html"))
    .map((file) => join(dir, file));
}

/** The URL path a built page is served at, with clean URLs: `guide/x.html` → `/guide/x`. */
function urlPathOf(file: string): string {
  const path = `/${relative(DIST, file).split(sep).join("/")}`;
  return path.endsWith("/index.html") ? path.slice(0, -"index.html".length) : path.slice(0, -5);
}

const files = htmlFiles(DIST).filter((file) => relative(DIST, file) !== "404.html");
const pages = files.map(urlPathOf).sort();
/** The element ids of every page, read from the built HTML, to check the anchors links point at. */
const idsByPage = new Map(
  files.map((file) => [
    urlPathOf(file),
    new Set([...readFileSync(file, "utf8").matchAll(/\sid="([^"]+)"/g)].map((match) => match[1])),
  ]),
);

/** Whether `path` is a file of the built site other than a page, such as /schemas/x.json. */
function isFileOfTheSite(path: string): boolean {
  const file = join(DIST, ...path.split("/"));
  return !path.endsWith("/") && extname(file) !== "" && existsSync(file);
}

let server: StaticServer;
let context: BrowserContext;
let profile: string;

beforeAll(async () => {
  if (!existsSync(join(DIST, "index.html"))) {
    throw new Error("docs/.vitepress/dist is missing: run `pnpm docs:build` first");
  }
  server = await serveStatic(DIST);
  profile = mkdtempSync(join(tmpdir(), "auth-recipes-docs-chromium-"));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
  });
  // Nothing leaves the machine: a request beyond the site's own origin is aborted and reported.
  await context.route("**/*", (route) =>
    route.request().url().startsWith(server.origin) ? route.continue() : route.abort(),
  );
  mkdirSync(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await context?.close();
  await server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

/** Opens a page and records every console error, page error and failed or 4xx/5xx request on it. */
async function open(path: string): Promise<{ page: Page; problems: string[] }> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) =>
    problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`),
  );
  page.on("response", (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  const response = await page.goto(server.origin + path, { waitUntil: "networkidle" });
  if (response?.status() !== 200) problems.push(`HTTP ${response?.status()}: ${path}`);
  return { page, problems };
}

/** Where a link points inside the site, as a page path and an anchor; undefined for other sites. */
function internalTarget(href: string, from: string): { path: string; hash: string } | undefined {
  const url = new URL(href, server.origin + from);
  if (url.origin !== server.origin) return undefined;
  const path = url.pathname.replace(/\.html$/, "");
  return { path: decodeURIComponent(path), hash: decodeURIComponent(url.hash.slice(1)) };
}

describe("the built site", () => {
  it("has the pages the issue asks for", () => {
    expect(pages).toEqual(
      expect.arrayContaining([
        "/",
        "/guide/getting-started",
        "/guide/composition",
        "/guide/next-auth-events",
        "/guide/testing",
        "/guide/tracing",
        "/guide/writing-a-recipe",
        "/guide/publishing-a-recipe",
        "/recipes/",
        "/recipes/welcome-email",
        "/recipes/slack",
        "/recipes/stripe",
        "/recipes/segment",
        "/api/",
        "/api/@auth-recipes/core",
        "/api/@auth-recipes/opentelemetry",
        "/benchmarks",
      ]),
    );
  });

  it("answers a missing page with a 404", async () => {
    const response = await fetch(`${server.origin}/no/such/page`);
    expect(response.status).toBe(404);
  });

  it.each(pages)(
    "%s loads cleanly and links only to pages and anchors that exist",
    async (path) => {
      const { page, problems } = await open(path);
      try {
        // The page hydrated: VitePress's app rendered its content in the browser.
        await page.locator(".VPContent").waitFor();
        const hrefs = await page.$$eval("a[href]", (links) =>
          links.map((link) => link.getAttribute("href") ?? ""),
        );
        for (const href of new Set(hrefs)) {
          const target = internalTarget(href, path);
          if (!target) continue;
          const ids = idsByPage.get(target.path);
          // A file the site serves as it is (the webhook payload's JSON Schema) is no page but exists.
          if (!ids && isFileOfTheSite(target.path)) continue;
          if (!ids) problems.push(`link to a missing page: ${href}`);
          else if (target.hash && !ids.has(target.hash))
            problems.push(`link to a missing anchor: ${href}`);
        }
        expect(problems).toEqual([]);
      } finally {
        await page.close();
      }
    },
  );
});

describe("search", () => {
  it('finds "stripe" and lands on the Stripe recipe page', async () => {
    const { page, problems } = await open("/");
    try {
      await page.locator(".VPNavBarSearch .DocSearch-Button").click();
      const input = page.locator("#localsearch-input");
      await input.fill("stripe");
      const first = page.locator(".VPLocalSearchBox .results .result").first();
      await first.waitFor();
      await input.press("Enter");
      await page.waitForURL((url) => url.pathname === "/recipes/stripe", { timeout: 5_000 });
      await expect(page.locator(".vp-doc h1").first().textContent()).resolves.toMatch(/stripe/i);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

describe("the benchmark charts", () => {
  it("are drawn as inline SVG from bench/results.json, one bar per figure", async () => {
    const results = JSON.parse(
      readFileSync(new URL("../../bench/results.json", import.meta.url), "utf8"),
    ) as { dispatch?: unknown[]; latency?: unknown[]; queue?: unknown };
    const { page, problems } = await open("/benchmarks");
    try {
      const charts = page.locator("figure.bench-chart");
      await expect(
        charts.evaluateAll((nodes) => nodes.map((node) => node.getAttribute("data-chart"))),
      ).resolves.toEqual(
        results.queue
          ? ["latency", "dispatch", "queue", "throughput"]
          : ["latency", "dispatch", "throughput"],
      );
      // Already in the HTML as it was built: the charts need no script and make no request.
      const html = readFileSync(join(DIST, "benchmarks.html"), "utf8");
      expect(html).toContain('data-chart="dispatch"');
      const dispatchBars = page.locator('figure[data-chart="dispatch"] g.bar');
      const variants = await dispatchBars.evaluateAll((nodes) => [
        ...new Set(nodes.map((node) => node.getAttribute("data-label"))),
      ]);
      expect(variants).toEqual(
        expect.arrayContaining(["composeEvents", "Promise.allSettled", "emittery", "mitt"]),
      );
      await expect(dispatchBars.count()).resolves.toBe(
        variants.length * (results.dispatch?.length ?? 0),
      );
      // Composed is the shorter bar in each latency group: it is drawn to scale.
      const widths = await page
        .locator('figure[data-chart="latency"] g.bar')
        .evaluateAll((nodes) =>
          nodes.map(
            (node) =>
              [
                node.getAttribute("data-label"),
                Number(node.querySelector("rect")?.getAttribute("width")),
              ] as const,
          ),
        );
      const composed = widths.filter(([label]) => label === "composed (composeEvents)");
      const sequential = widths.filter(([label]) => label === "awaited one after another");
      expect(composed).toHaveLength(results.latency?.length ?? 0);
      for (const [index, [, width]] of composed.entries()) {
        expect(width).toBeLessThan(sequential[index]![1] / 1.5);
      }
      if (results.queue) {
        // Enqueuing is the shorter bar: the sign-up no longer waits for the services.
        const [enqueued, inProcess] = await page
          .locator('figure[data-chart="queue"] g.bar rect')
          .evaluateAll((nodes) => nodes.map((node) => Number(node.getAttribute("width"))));
        expect(enqueued).toBeLessThan(inProcess! / 5);
      }
      // Visible: the dispatch chart has a size on the page.
      const box = await page.locator('figure[data-chart="dispatch"] svg').boundingBox();
      expect(box?.width).toBeGreaterThan(400);
      expect(box?.height).toBeGreaterThan(150);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

describe("appearance and screenshots", () => {
  it("switches to dark mode and back", async () => {
    const { page, problems } = await open("/guide/getting-started");
    try {
      const html = page.locator("html");
      const wasDark = (await html.getAttribute("class"))?.includes("dark") ?? false;
      await page.locator(".VPNavBarAppearance .VPSwitchAppearance").click();
      await expect
        .poll(() => html.getAttribute("class"))
        .toSatisfy((value: string | null) => (value?.includes("dark") ?? false) !== wasDark);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it.each([
    ["home", "/", "light"],
    ["home-dark", "/", "dark"],
    ["recipe-stripe", "/recipes/stripe", "light"],
    ["benchmarks", "/benchmarks", "light"],
    ["benchmarks-dark", "/benchmarks", "dark"],
  ] as const)("writes artifacts/docs-%s.png", async (name, path, scheme) => {
    const page = await context.newPage();
    try {
      // Forget a choice made with the switch (the profile keeps it): the theme follows the system's.
      await page.addInitScript(() => localStorage.removeItem("vitepress-theme-appearance"));
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(server.origin + path, { waitUntil: "networkidle" });
      await page.locator(".VPContent").waitFor();
      const file = join(ARTIFACTS, `docs-${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      expect(existsSync(file)).toBe(true);
      const isDark = (await page.locator("html").getAttribute("class"))?.includes("dark") ?? false;
      expect(isDark).toBe(scheme === "dark");
    } finally {
      await page.close();
    }
  });
});
