import type { DispatchRecord } from "./dispatches.ts";

export type { DispatchBar, DispatchRecord } from "./dispatches.ts";

/** One email the SMTP emulator (or the Resend emulator) accepted. */
export interface DeliveredEmail {
  /** Stable across polls: its place in the order of arrival. */
  key: string;
  /** The emulator that received it. */
  via: "smtp" | "resend";
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string | undefined;
  receivedAt: number | undefined;
  /** The next-auth sign-in link in a verification email. */
  signInLink: string | undefined;
}

/** One message the Slack emulator accepted. */
export interface DeliveredSlackMessage {
  /** Stable across polls: its place in the order of arrival. */
  key: string;
  channel: string;
  text: string | undefined;
  blocks: unknown[] | undefined;
  ts: string | undefined;
}

/** One customer the Stripe emulator holds. */
export interface DeliveredCustomer {
  /** Stable across polls: its place in the order of arrival. */
  key: string;
  id: string;
  email: string | null;
  name: string | null;
  metadata: Record<string, string>;
  created: number | undefined;
}

/** One call the Segment emulator accepted. */
export interface DeliveredSegmentCall {
  /** Stable across polls: its place in the order of arrival. */
  key: string;
  type: string;
  userId: string | undefined;
  event: string | undefined;
  traits: Record<string, unknown> | undefined;
  properties: Record<string, unknown> | undefined;
  messageId: string | undefined;
  timestamp: string | undefined;
}

/** One event the PostHog emulator accepted. */
export interface DeliveredPostHogEvent {
  /** Stable across polls: its place in the order of arrival. */
  key: string;
  event: string;
  distinctId: string;
  uuid: string | undefined;
  /** The recipe's properties and `$set`, without the SDK's own `$` properties. */
  properties: Record<string, unknown>;
  timestamp: string | undefined;
}

/** One request the webhook receiver got, verified with its secret. */
export interface DeliveredWebhook {
  /** Stable across polls: its place in the order of arrival. */
  key: string;
  /** The `webhook-id` header. */
  id: string | undefined;
  type: string | undefined;
  userId: string | undefined;
  signatureValid: boolean;
  /** What the receiver answered: a status, or "hang" / "drop". */
  answer: number | string;
}

/** Where one service's requests go, and whether that is the emulator whose inbox is read. */
export interface ServiceTarget {
  /** The address, without credentials. */
  endpoint: string;
  /** True when the endpoint is the emulator the inbox reports; its deliveries are then listed. */
  emulated: boolean;
}

export type ServiceName = "smtp" | "slack" | "stripe" | "segment" | "posthog" | "webhook";

/** What the deliveries page shows, newest first in each list. */
export interface Deliveries {
  targets: Record<ServiceName, ServiceTarget>;
  /** False when the emulators' inbox could not be read (not started, or another address). */
  reachable: boolean;
  emails: DeliveredEmail[];
  slack: DeliveredSlackMessage[];
  customers: DeliveredCustomer[];
  segment: DeliveredSegmentCall[];
  posthog: DeliveredPostHogEvent[];
  webhooks: DeliveredWebhook[];
  /** The latest dispatches of the app's events, for the timeline; newest first. */
  dispatches: DispatchRecord[];
}
