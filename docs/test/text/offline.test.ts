// `npm run docs:dev` works offline: the dev server serves the theme's named social icons by pointing
// the browser at api.iconify.design (only the build inlines them), so the site names none.
import { describe, expect, it } from "vitest";
import config from "../../.vitepress/config.ts";

describe("the docs' configuration", () => {
  it("draws its social icons inline, so that the dev server fetches nothing from the internet", () => {
    const links = config.themeConfig?.socialLinks ?? [];
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) {
      expect(typeof link.icon, link.link).toBe("object");
      expect(JSON.stringify(link.icon)).toContain("<svg");
    }
  });

  it("loads nothing from another origin in the page's head", () => {
    const head = JSON.stringify(config.head ?? []);
    expect(head).not.toMatch(/https?:\/\//);
  });
});
