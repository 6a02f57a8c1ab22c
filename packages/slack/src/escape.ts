const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };

/**
 * Escapes text for Slack's mrkdwn: `&`, `<` and `>` become `&amp;`, `&lt;` and `&gt;`, exactly the three
 * characters Slack asks apps to escape. That is what keeps user-controlled text inert: `<!channel>`,
 * `<!here>`, `<@U123>` and `<http://x|label>` all need a literal `<`, so a user named `<!channel>` shows as
 * that text and pings nobody. Use it on every user-supplied value in a custom `message`, and never set
 * `link_names`, which would turn a bare `@channel` into a ping again.
 *
 * @example
 * ```ts
 * escapeMrkdwn("<!channel> & co"); // "&lt;!channel&gt; &amp; co"
 * ```
 */
export function escapeMrkdwn(text: string): string {
  return String(text).replace(/[&<>]/g, (character) => ENTITIES[character]!);
}
