import { type ComposeOptions, composeEvents } from "@auth-recipes/core";
import { slackNotify } from "@auth-recipes/slack";
import { slack } from "./slack";

// One JSON line per failure and per slow dispatch. RecipeError's message is already redacted;
// never log the event's message itself: it holds email addresses and OAuth tokens.
const observe: ComposeOptions = {
  onError: (error) =>
    console.error(
      JSON.stringify({
        level: "warn",
        msg: error.message,
        recipe: error.recipe,
        event: error.event,
        attempts: error.attempts,
        timedOut: error.timedOut,
      }),
    ),
  onSettled: (report) => {
    if (report.durationMs < 1_000) return;
    const slowest = report.results.map(({ recipe, status, attempts, durationMs }) => ({
      recipe,
      status,
      attempts,
      durationMs: Math.round(durationMs),
    }));
    console.info(
      JSON.stringify({ level: "info", msg: "slow dispatch", event: report.event, slowest }),
    );
  },
};

export const events = composeEvents([slackNotify({ client: slack, channel: "#signups" })], observe);
