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
export { checkNothingPrinted } from "./conformance/printed-errors.ts";
export { checkRequiredOptions } from "./conformance/required-options.ts";
export { checkNoSecretsInErrors } from "./conformance/secrets.ts";
export { checkRecipeShape } from "./conformance/shape.ts";
export { checkUpstreamFailure } from "./conformance/upstream-failure.ts";
// Local development: the emulators' defaults, the environment that points an app at them, and the
// inbox server.
export {
  EMULATOR_DEFAULTS,
  type EmulatorCredentials,
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
// Dispatching events as next-auth (or another host) does.
export { dispatchEvent, dispatchThrough } from "./dispatch.ts";
export type { ServiceDefaults, ServiceEmulator } from "./emulator/service.ts";
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
export { startPostHogApi } from "./posthog/api.ts";
export type { PostHogInbox } from "./posthog/service.ts";
export type {
  PostHogApiOptions,
  PostHogBatch,
  PostHogClientOptions,
  PostHogEmulator,
  PostHogEvent,
} from "./posthog/types.ts";
// What a dispatch through a host reported.
export type { DispatchedEvent } from "./record-dispatch.ts";
// A real redis-server, for tests of durable dispatch.
export { type RedisServer, type RedisServerOptions, startRedisServer } from "./redis-server.ts";
// The emulators, alone and together.
export { startResendApi } from "./resend/api.ts";
export type { ResendInbox } from "./resend/service.ts";
export type {
  ResendApiOptions,
  ResendClientOptions,
  ResendEmailRecord,
  ResendEmulator,
  ResendFailOptions,
} from "./resend/types.ts";
export {
  type SegmentApiOptions,
  type SegmentBatch,
  type SegmentClientOptions,
  type SegmentEmulator,
  type SegmentMessage,
  type SegmentMessageType,
  startSegmentApi,
} from "./segment/api.ts";
export type { SegmentInbox } from "./segment/service.ts";
// The one list of emulators, from which startEmulators, the bin, the environment and the inbox derive.
export {
  type EmulatorOf,
  type ListedService,
  SERVICE_EMULATORS,
  type ServiceKey,
  type ServiceOf,
} from "./services.ts";
export { startSlackApi } from "./slack/api.ts";
export type { SlackInbox } from "./slack/service.ts";
export type {
  SlackApiOptions,
  SlackBlock,
  SlackChannel,
  SlackEmulator,
  SlackMessage,
} from "./slack/types.ts";
export { startSmtpServer } from "./smtp/server.ts";
export type { SmtpInbox } from "./smtp/service.ts";
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
export type { StripeInbox } from "./stripe/service.ts";
export type {
  StripeApiOptions,
  StripeClientOptions,
  StripeCustomerRecord,
  StripeEmulator,
  StripeSearch,
  StripeSearchClause,
} from "./stripe/types.ts";
export { startWebhookReceiver } from "./webhook-receiver/receiver.ts";
export type { WebhookInbox } from "./webhook-receiver/service.ts";
export type {
  WebhookDelivery,
  WebhookReceiverEmulator,
  WebhookReceiverFault,
  WebhookReceiverOptions,
} from "./webhook-receiver/types.ts";
