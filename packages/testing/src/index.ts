// The public API, by name: a helper exported from a file for its neighbours stays out of it.

// Recipe conformance suite (`testRecipe` itself is in `@auth-recipes/testing/vitest`).
export { conformanceChecks } from "./conformance/checks.ts";
export type {
  ConformanceCheck,
  Delivery,
  RecipeTestConfig,
  UpstreamFault,
} from "./conformance/config.ts";
export { checkDelivery } from "./conformance/delivery.ts";
export { ConformanceError } from "./conformance/errors.ts";
export { nextAuthHost, type RecipeHost } from "./conformance/host.ts";
export { checkHostileInput } from "./conformance/hostile-input.ts";
export { checkIdempotentRetry } from "./conformance/idempotent-retry.ts";
export { checkRequiredOptions } from "./conformance/required-options.ts";
export { checkNoSecretsInErrors } from "./conformance/secrets.ts";
export { checkRecipeShape } from "./conformance/shape.ts";
export { checkUpstreamFailure } from "./conformance/upstream-failure.ts";
// Local development: the emulators' defaults, the environment that points an app at them, and the
// inbox server.
export {
  EMULATOR_DEFAULTS,
  type EmulatorDefaults,
  type EmulatorPorts,
} from "./defaults.ts";
// Time-skipping for queues: a BullMQ queue's delayed jobs, run now.
export {
  type DelayedJobLike,
  type DelayedJobsQueue,
  type RunDelayedJobsOptions,
  runDelayedJobs,
  type SkipDuration,
} from "./delayed-jobs.ts";
// Dispatching events as next-auth does.
export { type DispatchedEvent, dispatchEvent } from "./dispatch.ts";
// The emulator base.
export type {
  Emulator,
  EmulatorOptions,
  EmulatorResponse,
  FailOptions,
  Faults,
  RecordedRequest,
} from "./emulator/types.ts";
export {
  type Emulators,
  type EmulatorsInbox,
  type InboxRequest,
  type StartEmulatorsOptions,
  startEmulators,
} from "./emulators.ts";
export { emulatorEnvironment } from "./environment.ts";
// Fixtures: users, messages, and what must never leak from them.
export { emailsOf, secretsOf, TOKEN_MARKERS } from "./fixtures/leaks.ts";
export { defaultMessage, events } from "./fixtures/messages.ts";
export type {
  FixtureOAuthAccount,
  FixtureProfile,
  FixtureSession,
  FixtureSessionRow,
  FixtureToken,
  FixtureUser,
} from "./fixtures/types.ts";
export { type HostileUsers, hostileUsers, users } from "./fixtures/users.ts";
export { startHttpEmulator } from "./http-emulator.ts";
export { type InboxServer, type InboxServerOptions, serveInbox } from "./inbox-server.ts";
// A real redis-server, for tests of durable dispatch.
export { type RedisServer, type RedisServerOptions, startRedisServer } from "./redis-server.ts";
// The four emulators, alone and together.
export {
  type SegmentApiOptions,
  type SegmentBatch,
  type SegmentClientOptions,
  type SegmentEmulator,
  type SegmentMessage,
  type SegmentMessageType,
  startSegmentApi,
} from "./segment.ts";
export { startSlackApi } from "./slack/api.ts";
export type {
  SlackApiOptions,
  SlackBlock,
  SlackChannel,
  SlackEmulator,
  SlackMessage,
} from "./slack/types.ts";
export { startSmtpServer } from "./smtp/server.ts";
export type {
  ReceivedMail,
  SmtpClientOptions,
  SmtpEmulator,
  SmtpEnvelope,
  SmtpFailOptions,
  SmtpHangOptions,
  SmtpRequest,
  SmtpServerOptions,
  SmtpStage,
} from "./smtp/types.ts";
export { startStripeApi } from "./stripe/api.ts";
export type {
  StripeApiOptions,
  StripeClientOptions,
  StripeCustomerRecord,
  StripeEmulator,
  StripeSearch,
  StripeSearchClause,
} from "./stripe/types.ts";
