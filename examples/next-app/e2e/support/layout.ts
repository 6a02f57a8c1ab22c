// What a phone-width page must hold to: nothing wider than the screen, nothing outside its card (a
// timeline lane, a long address), no two axis labels on top of each other.
import type { Page } from "playwright-core";

export const PHONE = { width: 390, height: 844 };

export interface LayoutReport {
  scrollWidth: number;
  /** Elements that stick out of their card, as `card > tag.class "text…" (px outside)`. */
  outsideCards: string[];
  /** Pairs of axis labels that overlap, as `"0 ms" / "2 ms"`. */
  overlappingTicks: string[];
}

/**
 * Measures the page as it is drawn. An element inside a scrolling box (a wide table, a `pre`) scrolls
 * there and is not counted: that box itself must fit its card.
 */
export function layoutReport(page: Page): Promise<LayoutReport> {
  return page.evaluate(() => {
    const outsideCards: string[] = [];
    for (const card of document.querySelectorAll<HTMLElement>(".card")) {
      // A card that scrolls (the jobs table) holds what is wider than itself.
      if (getComputedStyle(card).overflowX !== "visible") continue;
      const box = card.getBoundingClientRect();
      for (const el of card.querySelectorAll<HTMLElement>("*")) {
        let scrolled = false;
        for (let up = el.parentElement; up && up !== card; up = up.parentElement) {
          if (getComputedStyle(up).overflowX !== "visible") scrolled = true;
        }
        if (scrolled) continue;
        const rect = el.getBoundingClientRect();
        if (rect.width === 0 || rect.height === 0) continue;
        const out = Math.max(box.left - rect.left, rect.right - box.right);
        if (out > 1) {
          const name = `${el.tagName.toLowerCase()}.${[...el.classList].join(".")}`;
          const label = card.getAttribute("aria-label") ?? card.className;
          outsideCards.push(
            `${label} > ${name} "${(el.textContent ?? "").trim().slice(0, 30)}" (${Math.round(out)} px)`,
          );
        }
      }
    }
    const overlappingTicks: string[] = [];
    for (const axis of document.querySelectorAll(".lane.axis")) {
      const ticks = [...axis.querySelectorAll<HTMLElement>(".tick")].map((tick) => ({
        text: tick.textContent ?? "",
        rect: tick.getBoundingClientRect(),
      }));
      for (let i = 1; i < ticks.length; i++) {
        const [a, b] = [ticks[i - 1]!, ticks[i]!];
        if (a.rect.right > b.rect.left) overlappingTicks.push(`"${a.text}" / "${b.text}"`);
      }
    }
    return { scrollWidth: document.documentElement.scrollWidth, outsideCards, overlappingTicks };
  });
}
