import { isObject, type Params } from "./blocks.ts";

// Slack's special mentions in mrkdwn: `<!channel>`, `<!here|here>`, `<@U123>`, `<!subteam^S1>`.
const MENTION = /<(!(?:channel|here|everyone)|@[UW][A-Z0-9]+|!subteam\^[A-Z0-9]+)(?:\|[^>]*)?>/g;
const LINK = /<((?:https?|mailto|ftp|slack):[^|>]*)(?:\|[^>]*)?>/gi;
// What `link_names` turns into mentions.
const BARE_MENTION = /(?:^|[^\w&])@(channel|here|everyone|[a-z0-9][\w.-]*)/gi;

/** What a message would ping and link once Slack renders it. */
export function notifications(params: Params): { mentions: string[]; links: string[] } {
  const mentions: string[] = [];
  const links: string[] = [];
  const linkNames =
    params.link_names === true ||
    params.link_names === "true" ||
    params.link_names === 1 ||
    params.link_names === "1" ||
    params.parse === "full";
  const scan = (text: string) => {
    for (const [whole] of text.matchAll(MENTION)) mentions.push(whole);
    for (const [, url] of text.matchAll(LINK)) links.push(url as string);
    if (linkNames) for (const [, name] of text.matchAll(BARE_MENTION)) mentions.push(`@${name}`);
  };
  const mrkdwn = params.mrkdwn !== false && params.mrkdwn !== "false";
  if (typeof params.text === "string" && mrkdwn) scan(params.text);
  const walk = (value: unknown) => {
    if (Array.isArray(value)) {
      value.forEach(walk);
      return;
    }
    if (!isObject(value)) return;
    if (value.type === "mrkdwn" && typeof value.text === "string") scan(value.text);
    // Rich text pings through elements, not markup.
    if (value.type === "broadcast" && typeof value.range === "string")
      mentions.push(`<!${value.range}>`);
    if (value.type === "user" && typeof value.user_id === "string")
      mentions.push(`<@${value.user_id}>`);
    if (value.type === "usergroup" && typeof value.usergroup_id === "string") {
      mentions.push(`<!subteam^${value.usergroup_id}>`);
    }
    for (const child of Object.values(value)) {
      if (typeof child === "object") walk(child);
    }
  };
  walk(params.blocks);
  walk(params.attachments);
  return { mentions, links };
}
