// The same sign-up, loaded with import: the ESM builds, as a Next.js app or Node ESM gets them.
import { createRequire } from "node:module";
import { composeEvents } from "@auth-recipes/core";
import { segmentTracking } from "@auth-recipes/segment";
import { slackNotify } from "@auth-recipes/slack";
import { stripeCustomer } from "@auth-recipes/stripe";
import { startEmulators } from "@auth-recipes/testing";
import { welcomeEmail } from "@auth-recipes/welcome-email";
import { Analytics } from "@segment/analytics-node";
import { WebClient } from "@slack/web-api";
import Stripe from "stripe";

const { signUp } = createRequire(import.meta.url)("./sign-up-flow.cjs");
try {
  const summary = await signUp(
    { composeEvents, segmentTracking, slackNotify, stripeCustomer, startEmulators, welcomeEmail },
    { Analytics, WebClient, Stripe },
    { format: "esm", entry: import.meta.resolve("@auth-recipes/core") },
  );
  console.log(JSON.stringify(summary));
} catch (error) {
  console.error(error);
  process.exitCode = 1;
}
