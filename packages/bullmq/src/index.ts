export {
  type DeadLetter,
  type DeadLetterFilter,
  findUserJobs,
  listFailedJobs,
  retryFailedJobs,
  type UserJob,
} from "./dead-letters.ts";
export { type DelayedOptions, delayed } from "./delayed.ts";
export { type Duration, MAX_DELAY_MS } from "./duration.ts";
export { EnqueueError } from "./enqueue-error.ts";
export {
  type EnqueueRecipesOptions,
  enqueueRecipes,
  MAX_JOB_ATTEMPTS,
  RECIPE_BACKOFF,
} from "./enqueue-recipes.ts";
export type { InlineFallbackOptions } from "./fallback.ts";
export {
  type ForgetUserOptions,
  type ForgetUserResult,
  forgetUser,
} from "./forget-user.ts";
export { jobName, type RecipeJobData, recipeJobId, userIdOf } from "./job.ts";
export {
  type RecipeJobResult,
  type RecipeWorker,
  type RecipeWorkerOptions,
  startRecipeWorker,
} from "./recipe-worker.ts";
export { withoutSecrets } from "./secrets.ts";
export { decodeMessage, encodeMessage, type WireValue } from "./wire.ts";
