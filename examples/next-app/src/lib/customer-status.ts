// What the account page says while a user has no Stripe customer id yet: in queue mode the stripe-customer
// job may only be waiting or running, which "failed or is off" would misstate.
import { findUserJobs } from "@auth-recipes/bullmq";
import { enabledRecipes } from "../auth.ts";
import { appQueue } from "../queue.ts";

/** Why there is no customer id yet, in a few words, and the job state behind it (queue mode). */
export interface CustomerStatus {
  text: string;
  /** `waiting`, `active`, `delayed`, `failed`, `completed`, `none`, `off`, `in-process`, `unknown`. */
  state: string;
}

const READ_TIMEOUT_MS = 2_000;

export async function customerStatus(userId: string): Promise<CustomerStatus> {
  if (!enabledRecipes().has("stripe-customer")) {
    return { state: "off", text: "none (the stripe-customer recipe is off: AUTH_RECIPES)" };
  }
  const queue = appQueue();
  if (!queue) {
    // In-process: the recipe ran in the sign-in request, so no id means it failed.
    return {
      state: "in-process",
      text: "none: the stripe-customer recipe failed (the app's log and Deliveries say why)",
    };
  }
  let jobs: Awaited<ReturnType<typeof findUserJobs>>;
  try {
    jobs = await Promise.race([
      findUserJobs(queue, userId),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error("timeout")), READ_TIMEOUT_MS).unref(),
      ),
    ]);
  } catch {
    return { state: "unknown", text: "not yet; the queue (Redis) is not answering" };
  }
  const job = jobs.find((found) => found.recipe === "stripe-customer");
  const attempts = job && job.attempts > 0 ? ` (${job.attempts} attempt(s) so far)` : "";
  switch (job?.state) {
    case undefined:
      return { state: "none", text: "none: no stripe-customer job was queued for you" };
    case "active":
      return { state: "active", text: "not yet: a worker is creating it now" };
    case "delayed":
      return { state: "delayed", text: `not yet: queued, waiting to retry${attempts}` };
    case "failed":
      return {
        state: "failed",
        text: `none: the job failed${attempts}; retry it from Deliveries`,
      };
    case "completed":
      return { state: "completed", text: "created just now: reload the page" };
    default:
      return {
        state: "waiting",
        text: "not yet: queued, waiting for a worker (Deliveries shows whether one is connected)",
      };
  }
}
