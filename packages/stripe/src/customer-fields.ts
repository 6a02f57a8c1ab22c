import { cutText } from "@auth-recipes/core/kit";

// Stripe's limit for a customer's name, in code points.
const MAX_NAME = 256;

const codePoints = (text: string): number => {
  let count = 0;
  for (const _ of text) count++;
  return count;
};

/**
 * The user's name as a customer's name: control characters become spaces and a name longer than Stripe
 * takes (256 code points) is cut on grapheme clusters (an emoji sequence such as a family is kept or
 * dropped whole). `undefined` for no name or a blank one.
 */
export function customerName(name: unknown): string | undefined {
  if (typeof name !== "string") return undefined;
  const clean = name.replace(/[\p{Cc}\u2028\u2029]+/gu, " ").trim();
  if (!clean) return undefined;
  // Whole graphemes, as many as fit in Stripe's code points: fewer when some are sequences.
  let graphemes = MAX_NAME;
  let cut = cutText(clean, graphemes);
  for (let length = codePoints(cut); length > MAX_NAME; length = codePoints(cut)) {
    graphemes = Math.min(graphemes - 1, Math.floor((graphemes * MAX_NAME) / length));
    cut = cutText(clean, graphemes);
  }
  return cut;
}
