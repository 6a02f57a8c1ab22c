import { type SlackEmulator, startSlackApi } from "@auth-recipes/testing";
import { testRecipe } from "@auth-recipes/testing/vitest";
import { expect } from "vitest";
import { type SlackNotifyOptions, slackNotify } from "../src/index.ts";
import { webClient } from "./helpers.ts";

const TIMEOUT_MS = 500;

testRecipe<SlackEmulator, SlackNotifyOptions>({
  name: "slack",
  start: () => startSlackApi(),
  factory: slackNotify,
  // The client is bounded as the README advises: no retries of its own, and a timeout under the recipe's,
  // so that a hung request ends by itself (the WebClient takes no per-call AbortSignal).
  options: (slack) => ({
    client: webClient(slack, { retryConfig: { retries: 0 }, timeout: TIMEOUT_MS - 200 }),
    channel: "#signups",
  }),
  required: ["client", "channel"],
  delivered: (slack, { event, user }) => {
    expect(event).toBe("createUser");
    const messages = slack.channel("#signups");
    expect(messages).toHaveLength(1);
    expect(messages[0]?.text).toBe(`New sign-up: ${user.name} (${user.email})`);
    expect(messages[0]?.blocks?.[1]).toMatchObject({
      fields: [
        { text: `*Name*\n${user.name}` },
        { text: `*Email*\n${user.email}` },
        { text: `*User ID*\n${user.id}` },
      ],
    });
  },
  injected: (slack) => {
    const found = slack.messages.flatMap((message) => [...message.mentions, ...message.links]);
    return found.length ? `Slack would render ${found.join(", ")}` : undefined;
  },
  secrets: (slack) => [slack.token],
  timeoutMs: TIMEOUT_MS,
});
