// lib/slack.ts: the Slack client for slackNotify. Only the Slack recipe imports it.
import { WebClient } from "@slack/web-api";

// Bounded: @slack/web-api's defaults retry for about 30 minutes and never time out.
// SLACK_API_URL is set by `npx auth-recipes-emulators` only; unset, the client talks to Slack.
export const slack = new WebClient(process.env.SLACK_TOKEN, {
  timeout: 5_000,
  retryConfig: { retries: 1 },
  ...(process.env.SLACK_API_URL && { slackApiUrl: process.env.SLACK_API_URL }),
});
