// How many code units of text are segmented per grapheme of budget.
const WINDOW_PER_GRAPHEME = 32;
let segmenter: Intl.Segmenter | undefined;

function graphemes(text: string): Intl.Segments {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: "grapheme" });
  return segmenter.segment(text);
}

/**
 * `text` cut to at most `maxGraphemes` user-perceived characters (grapheme clusters, as
 * `Intl.Segmenter` finds them), so that an emoji sequence (a family, a flag, a skin tone) or a letter
 * with its accents is kept whole or dropped whole, never split. When it cuts, `ellipsis` ends the result
 * and counts in the budget. A text within the budget is returned as it is.
 *
 * @example
 * ```ts
 * cutText(user.name, 64); // at most 64 graphemes
 * cutText(user.name, 100, "…"); // at most 99 graphemes and "…", or the name as it is
 * ```
 */
export function cutText(text: string, maxGraphemes: number, ellipsis = ""): string {
  // A grapheme is at least one code unit: a text this short is within budget, without segmenting it.
  if (text.length <= maxGraphemes) return text;
  let room = maxGraphemes;
  if (ellipsis) for (const _ of graphemes(ellipsis)) room--;
  room = Math.max(room, 0);
  // ICU reads the whole text it is given before the first segment, so it is given a window that holds
  // the budget many times over (an emoji family is 11 code units), not a megabyte.
  const window = text.slice(0, maxGraphemes * WINDOW_PER_GRAPHEME + WINDOW_PER_GRAPHEME);
  let count = 0;
  let cut = 0;
  let last = 0;
  for (const { index } of graphemes(window)) {
    if (count === room) cut = index;
    if (++count > maxGraphemes) return `${text.slice(0, cut)}${ellipsis}`;
    last = index;
  }
  if (window.length === text.length) return text;
  // Graphemes of more than WINDOW_PER_GRAPHEME code units each (stacked accents): keep the whole ones.
  return `${text.slice(0, count > room ? cut : last)}${ellipsis}`;
}
