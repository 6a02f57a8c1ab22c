const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Escapes text for HTML, in element content and in quoted attribute values alike: `&`, `<`, `>`, `"` and
 * `'` become entities. Use it on every user-supplied value (a name, an app name) in a custom `render`
 * that builds HTML by hand; React Email escapes for you.
 *
 * @example
 * ```ts
 * escapeHtml('<img src=x onerror="alert(1)">'); // "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"
 * ```
 */
export function escapeHtml(text: string): string {
  return String(text).replace(/[&<>"']/g, (character) => ENTITIES[character]!);
}
