import { masked } from "../emulator/masked.ts";
import type { ServiceEmulator } from "../emulator/service.ts";
import type { RecordedRequest } from "../emulator/types.ts";
import { startSlackApi } from "./api.ts";
import type { SlackApiOptions, SlackEmulator, SlackMessage } from "./types.ts";

/** What the inbox shows of the Slack emulator. */
export interface SlackInbox {
  url: string;
  messages: SlackMessage[];
  requests: RecordedRequest[];
}

/** Slack in the list of emulators: `SLACK_API_URL` and `SLACK_TOKEN`. */
export const slackService: ServiceEmulator<"slack", SlackEmulator, SlackApiOptions, SlackInbox> = {
  key: "slack",
  title: "Slack Web API",
  start: startSlackApi,
  environment: (slack) => ({
    SLACK_API_URL: slack.clientOptions.slackApiUrl,
    SLACK_TOKEN: slack.token,
  }),
  inbox: (slack) => ({
    url: slack.url,
    messages: slack.messages,
    requests: masked(slack.requests),
  }),
};
