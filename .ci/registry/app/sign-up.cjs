// A sign-up through every recipe, against the emulators of @auth-recipes/testing, loaded with require():
// the CommonJS builds, as a CommonJS app (or a bundler's require condition) gets them.
const { composeEvents } = require("@auth-recipes/core");
const { segmentTracking } = require("@auth-recipes/segment");
const { slackNotify } = require("@auth-recipes/slack");
const { stripeCustomer } = require("@auth-recipes/stripe");
const { startEmulators } = require("@auth-recipes/testing");
const { welcomeEmail } = require("@auth-recipes/welcome-email");
const { Analytics } = require("@segment/analytics-node");
const { WebClient } = require("@slack/web-api");
const Stripe = require("stripe");
const { signUp } = require("./sign-up-flow.cjs");

signUp(
  { composeEvents, segmentTracking, slackNotify, stripeCustomer, startEmulators, welcomeEmail },
  { Analytics, WebClient, Stripe },
  { format: "cjs", entry: require.resolve("@auth-recipes/core") },
).then(
  (summary) => console.log(JSON.stringify(summary)),
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
