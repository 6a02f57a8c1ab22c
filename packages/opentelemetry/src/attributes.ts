// Attribute names. The messaging semantic conventions fit a dispatch (a message handed to several
// consumers in process) and a queued job (a message sent to a queue and processed by a worker); what
// they have no name for lives under the `auth_recipes.` namespace.

/** `messaging.system` of every span: the library that dispatches. */
export const MESSAGING_SYSTEM = "auth-recipes";

/** The attribute names this instrumentation sets on its spans. */
export const ATTRIBUTES: {
  readonly messagingSystem: "messaging.system";
  readonly operationType: "messaging.operation.type";
  readonly operationName: "messaging.operation.name";
  readonly destination: "messaging.destination.name";
  readonly messageId: "messaging.message.id";
  readonly batchCount: "messaging.batch.message_count";
  readonly errorType: "error.type";
  readonly event: "auth_recipes.event";
  readonly recipe: "auth_recipes.recipe";
  readonly recipes: "auth_recipes.recipes";
  readonly attempt: "auth_recipes.attempt";
  readonly outcome: "auth_recipes.outcome";
  readonly timedOut: "auth_recipes.timed_out";
  readonly skipReason: "auth_recipes.skip_reason";
  readonly rejected: "auth_recipes.rejected_count";
} = {
  messagingSystem: "messaging.system",
  operationType: "messaging.operation.type",
  operationName: "messaging.operation.name",
  destination: "messaging.destination.name",
  messageId: "messaging.message.id",
  batchCount: "messaging.batch.message_count",
  errorType: "error.type",
  event: "auth_recipes.event",
  recipe: "auth_recipes.recipe",
  recipes: "auth_recipes.recipes",
  attempt: "auth_recipes.attempt",
  outcome: "auth_recipes.outcome",
  timedOut: "auth_recipes.timed_out",
  skipReason: "auth_recipes.skip_reason",
  rejected: "auth_recipes.rejected_count",
};
