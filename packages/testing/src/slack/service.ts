import { masked } from "../emulator/masked.ts";
import type { ServiceEmulator } from "../emulator/service.ts";
import type { RecordedRequest } from "../emulator/types.ts";
import { type SlackCredentials, slackDefaults } from "./defaults.ts";
import type { SlackApiOptions, SlackEmulator, SlackMessage } from "./types.ts";

/** What the inbox shows of the Slack emulator. */
export interface SlackInbox {
  url: string;
  messages: SlackMessage[];
  requests: RecordedRequest[];
}

/** Slack in the list of emulators: `SLACK_API_URL` and `SLACK_TOKEN`. */
export const slackService: ServiceEmulator<
  "slack",
  SlackEmulator,
  SlackApiOptions,
  SlackInbox,
  SlackCredentials
> = {
  key: "slack",
  title: "Slack Web API",
  defaults: slackDefaults,
  // Imported when started: the list, and EMULATOR_DEFAULTS derived from it, load no emulator.
  start: async (options) => (await import("./api.ts")).startSlackApi(options),
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
