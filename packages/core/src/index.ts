export {
  type ComposedEvents,
  type ComposeOptions,
  composeEvents,
  type DispatchReport,
} from "./compose.ts";
export {
  type AttemptTrace,
  type DispatchTrace,
  type DispatchTraceResult,
  type EnqueueTrace,
  TRACING_CHANNELS,
} from "./diagnostics.ts";
export { RecipeError } from "./errors.ts";
export {
  type AuthAccount,
  type AuthProfile,
  type AuthSession,
  type AuthToken,
  type AuthUser,
  type DefaultAuthUser,
  EVENT_NAMES,
  type EventMessages,
  type EventName,
  type Register,
} from "./events.ts";
export type { HandlerResult } from "./outcomes.ts";
export {
  type Awaitable,
  defineRecipe,
  type Handler,
  type HandlerContext,
  type PlainEvents,
  type Recipe,
  type RecipeEvents,
} from "./recipe.ts";
export type { RetryOptions } from "./retry.ts";
export { isRetryable } from "./retryable.ts";
export type { RecipeInput } from "./routes.ts";
export { isSkip, type Skip, skip } from "./skip.ts";
