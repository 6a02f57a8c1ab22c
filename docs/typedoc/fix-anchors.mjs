// typedoc-plugin-markdown sometimes numbers an anchor as if its heading were a duplicate on the page
// (`#emulatorsinbox-1` for the one `### EmulatorsInbox`), and the link then points nowhere. Point such a
// link at the heading the page does have.
import { MarkdownPageEvent } from "typedoc-plugin-markdown";

const bare = (text) => text.toLowerCase().replace(/[^a-z0-9]/g, "");

/** @param {import("typedoc").Application} app */
export function load(app) {
  app.renderer.on(MarkdownPageEvent.END, (page) => {
    if (!page.contents) return;
    const headings = [...page.contents.matchAll(/^#{1,6} (.+)$/gm)].map((match) => bare(match[1]));
    page.contents = page.contents.replace(/\]\(#([a-z0-9-]+?)-(\d+)\)/g, (link, base, n) => {
      const sameSlug = headings.filter((heading) => heading === bare(base)).length;
      // `base-n` exists only when at least n + 1 headings share the slug.
      return sameSlug > 0 && sameSlug <= Number(n) ? `](#${base})` : link;
    });
  });
}
