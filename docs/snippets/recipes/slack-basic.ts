import { composeEvents } from "@auth-recipes/core";
import { slackNotify } from "@auth-recipes/slack";
import { WebClient } from "@slack/web-api";

// A client of its own for the recipe, bounded: the SDK's defaults retry for about 30 minutes and
// never time out. Each request now ends by itself: (1 + 1) × 3 s + backoff ≈ 7 s, under core's 10 s.
const slack = new WebClient(process.env.SLACK_BOT_TOKEN, {
  retryConfig: { retries: 1, minTimeout: 500, maxTimeout: 1_000 },
  timeout: 3_000,
});

export const events = composeEvents([
  // A falsy entry is skipped: without a token, no Slack recipe.
  process.env.SLACK_BOT_TOKEN ? slackNotify({ client: slack, channel: "#signups" }) : null,
]);
