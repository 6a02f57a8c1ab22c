import type { AuthUser, HandlerContext, Recipe } from "@auth-recipes/core";
import { resendTransport } from "@auth-recipes/resend";
import { segmentTracking } from "@auth-recipes/segment";
import { slackNotify } from "@auth-recipes/slack";
import { stripeCustomer } from "@auth-recipes/stripe";
import {
  type Emulator,
  type ResendEmulator,
  type SegmentClientOptions,
  type SegmentEmulator,
  type SlackEmulator,
  type SmtpClientOptions,
  type SmtpEmulator,
  type StripeClientOptions,
  type StripeEmulator,
  startResendApi,
  startSegmentApi,
  startSlackApi,
  startSmtpServer,
  startStripeApi,
} from "@auth-recipes/testing";
import { welcomeEmail } from "@auth-recipes/welcome-email";
import { Analytics } from "@segment/analytics-node";
import { type LogLevel, WebClient } from "@slack/web-api";
import { createTransport, type Transporter } from "nodemailer";
import { Resend } from "resend";
import Stripe from "stripe";

/**
 * The four emulators, one per recipe, in the order the recipes are composed; and Resend's, which only the
 * chaos run sends to (a second welcome email, through `resendTransport`), so the other figures keep
 * measuring the four recipes.
 */
export interface Services {
  smtp: SmtpEmulator;
  slack: SlackEmulator;
  stripe: StripeEmulator;
  segment: SegmentEmulator;
  resend: ResendEmulator;
}

export const SERVICE_NAMES = ["smtp", "slack", "stripe", "segment"] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** What the SDK clients need to reach the emulators: plain data, so a child process can take it. */
export interface Endpoints {
  smtp: SmtpClientOptions;
  slack: { token: string; clientOptions: { slackApiUrl: string } };
  stripe: { apiKey: string; clientOptions: StripeClientOptions };
  segment: { writeKey: string; clientOptions: SegmentClientOptions };
  /** Given only to the chaos run: its recipes add the welcome email over Resend. */
  resend?: { apiKey: string; baseUrl: string };
}

/** Starts the four emulators on loopback. */
export async function startServices(): Promise<Services> {
  const [smtp, slack, stripe, segment, resend] = await Promise.all([
    startSmtpServer(),
    startSlackApi(),
    startStripeApi(),
    startSegmentApi(),
    startResendApi(),
  ]);
  return { smtp, slack, stripe, segment, resend };
}

/** The endpoints of the four recipes' services; with `withResend`, Resend's too (the chaos run's). */
export function endpointsOf(services: Services, withResend = false): Endpoints {
  const { smtp, slack, stripe, segment, resend } = services;
  return {
    smtp: smtp.clientOptions,
    slack: { token: slack.token, clientOptions: slack.clientOptions },
    stripe: { apiKey: stripe.apiKey, clientOptions: stripe.clientOptions },
    segment: { writeKey: segment.writeKey, clientOptions: segment.clientOptions },
    ...(withResend
      ? { resend: { apiKey: resend.apiKey, baseUrl: resend.clientOptions.baseUrl } }
      : {}),
  };
}

export function eachService(services: Services, act: (emulator: Emulator) => unknown): void {
  for (const name of SERVICE_NAMES) act(services[name]);
}

export async function closeServices(services: Services): Promise<void> {
  await Promise.all([...SERVICE_NAMES, "resend" as const].map((name) => services[name].close()));
}

/** The SDK clients an app creates and hands to the recipes. */
export interface Clients {
  mail: Transporter;
  slack: WebClient;
  stripe: Stripe;
  analytics: Analytics;
  /** Only when the endpoints have Resend's. */
  resend?: Resend;
}

/**
 * `"configured"`: what the recipes' READMEs advise for production (a pooled SMTP transport, bounded
 * retries and timeouts). `"defaults"`: each SDK exactly as `new Client(key)` makes it, only pointed at the
 * emulator: what section 3 compares composeEvents' timeout against.
 */
export type ClientSetup = "configured" | "defaults";

// WebClient logs each failed request as a warning; that is not behaviour, and it would break up the tables.
const quietSlack = { logLevel: "error" as LogLevel };

export function makeClients(endpoints: Endpoints, setup: ClientSetup): Clients {
  const { smtp, slack, stripe, segment } = endpoints;
  const resend = endpoints.resend
    ? { resend: new Resend(endpoints.resend.apiKey, { baseUrl: endpoints.resend.baseUrl }) }
    : {};
  if (setup === "defaults") {
    return {
      mail: createTransport(smtp),
      slack: new WebClient(slack.token, { ...slack.clientOptions, ...quietSlack }),
      stripe: new Stripe(stripe.apiKey, stripe.clientOptions),
      analytics: new Analytics({ writeKey: segment.writeKey, ...segment.clientOptions }),
      ...resend,
    };
  }
  return {
    // A pool, as any app that sends more than a trickle should: one SMTP connection per mail costs a
    // TCP and SMTP handshake each time.
    mail: createTransport({ ...smtp, pool: true }),
    slack: new WebClient(slack.token, {
      ...slack.clientOptions,
      ...quietSlack,
      retryConfig: { retries: 1, maxTimeout: 1000 },
      timeout: 3000,
    }),
    stripe: new Stripe(stripe.apiKey, {
      ...stripe.clientOptions,
      maxNetworkRetries: 1,
      timeout: 3000,
      telemetry: false,
    }),
    analytics: new Analytics({
      writeKey: segment.writeKey,
      ...segment.clientOptions,
      httpRequestTimeout: 3000,
      maxRetries: 1,
    }),
    ...resend,
  };
}

/** Lets the clients go, so that their sockets and timers do not keep a process up. */
export async function closeClients(clients: Clients): Promise<void> {
  clients.mail.close();
  await clients.analytics.closeAndFlush({ timeout: 2000 }).catch(() => {});
}

/**
 * The four recipes on the given clients, each with its defaults, in the order of {@link SERVICE_NAMES}.
 * `reuseExisting: false` makes Stripe's createUser one request (create) instead of two (list, create).
 */
export function makeRecipes(clients: Clients, stripe: { reuseExisting?: boolean } = {}): Recipe[] {
  const recipes = [
    welcomeEmail({ transport: clients.mail, from: "Bench <bench@example.test>", appName: "Bench" }),
    slackNotify({ client: clients.slack, channel: "#signups" }),
    stripeCustomer({ stripe: clients.stripe, ...stripe }),
    segmentTracking({ analytics: clients.analytics }),
  ];
  if (clients.resend) {
    // The same welcome email over Resend, under its own name (and so its own idempotency keys).
    const resend = welcomeEmail({
      transport: resendTransport(clients.resend),
      from: "Bench <bench@example.test>",
      appName: "Bench",
    });
    recipes.push({ ...resend, name: RESEND_RECIPE });
  }
  return recipes;
}

/** The name of the welcome email over Resend in the chaos run. */
export const RESEND_RECIPE = "welcome-email-resend";

/**
 * A new user, unique per `key`: its id, name and email address all carry `key`, so that whatever a
 * service keeps of it (an envelope, a message's text, a customer, a track call) can be counted per user.
 */
export function benchUser(key: string): AuthUser {
  return { id: key, name: key, email: `${key}@example.test`, image: null };
}

/**
 * The context composeEvents would give a handler, for calling one directly (without core): no timeout,
 * a signal that never aborts, as a hand-written `events.createUser` has.
 */
export function bareContext(recipe: Recipe): HandlerContext<"createUser"> {
  return {
    event: "createUser",
    recipe: recipe.name,
    attempt: 1,
    signal: new AbortController().signal,
    deadline: Number.POSITIVE_INFINITY,
    dispatchId: crypto.randomUUID(),
  };
}

/** Calls a recipe's createUser handler directly, with a bare context. */
export function callHandler(recipe: Recipe, user: AuthUser): Promise<unknown> {
  const handler = recipe.events.createUser;
  if (!handler) return Promise.reject(new Error(`recipe "${recipe.name}" has no createUser`));
  return Promise.resolve().then(() => handler.call(recipe.events, { user }, bareContext(recipe)));
}
