import { defaultSlackMessage, slackNotify } from "@auth-recipes/slack";
import { slack } from "../clients";

export const signups = slackNotify({
  client: slack,
  channel: "#signups",
  // Start from the default message (escaped, with its blocks) and change what you need.
  message: (input) => {
    const message = defaultSlackMessage(input, { includeEmail: false });
    return { ...message, text: `${message.text} :wave:` };
  },
});
