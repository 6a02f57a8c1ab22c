import { skip } from "@auth-recipes/core";
import { escapeMrkdwn, slackNotify } from "@auth-recipes/slack";
import { slack } from "../clients";

export const signups = slackNotify({
  client: slack,
  channel: "C0123456789",
  on: ["createUser", "signIn"],
  // `message` is narrowed by `event`: signIn's message has isNewUser and account.
  message: ({ event, message }) => {
    if (event === "signIn" && !message.isNewUser) return skip("not a sign-up");
    // Escape every user value that goes into mrkdwn: `<!channel>` then pings nobody.
    const name = escapeMrkdwn(message.user.name ?? "someone");
    const via =
      event === "signIn" && message.account
        ? ` with ${escapeMrkdwn(message.account.provider)}`
        : "";
    return { text: `:tada: ${name} just joined${via}` };
  },
});
