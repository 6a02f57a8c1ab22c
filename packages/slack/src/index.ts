export { type DefaultSlackMessageOptions, defaultSlackMessage } from "./default-message.ts";
export { type SlackFailure, SlackNotifyError } from "./errors.ts";
export { escapeMrkdwn } from "./escape.ts";
export {
  SLACK_EVENTS,
  type SlackEvent,
  type SlackEventInput,
  type SlackMessageContent,
} from "./events.ts";
export { type SlackNotifyOptions, slackNotify } from "./slack-notify.ts";
