import { Analytics } from "@segment/analytics-node";
import { WebClient } from "@slack/web-api";
import nodemailer from "nodemailer";
import Stripe from "stripe";

/**
 * Where each service's requests go: the real service when its credentials are in the environment, the
 * local emulator (started by `pnpm demo`, the browser tests or the `auth-recipes-emulators` bin)
 * otherwise. No account is needed to run the app.
 */
export type Target = "real" | "emulator";

/** The SMTP server for both the magic links (next-auth's Email provider) and the welcome email. */
export interface SmtpService {
  target: Target;
  /**
   * The SMTP URL, for nodemailer's `createTransport` and next-auth's `EmailProvider({ server })`. A URL,
   * not an options object: next-auth deep-merges an object over its defaults, which carry an empty
   * `auth`, and nodemailer then tries to log in with it.
   */
  server: string;
  /** The welcome email's transport: pooled, see {@link welcomeTransport}. */
  transport: nodemailer.Transporter;
  from: string;
}

export interface SlackService {
  target: Target;
  client: WebClient;
  channel: string;
}

export interface StripeService {
  target: Target;
  stripe: Stripe;
}

export interface SegmentService {
  target: Target;
  analytics: Analytics;
}

/** Every service the app talks to, with where each one goes. */
export interface Services {
  smtp: SmtpService;
  slack: SlackService;
  stripe: StripeService;
  segment: SegmentService;
  /** The emulators' `GET /_inbox` address, when any service goes to an emulator. */
  inboxUrl: string | undefined;
}

// The emulators' fixed ports and credentials, as `auth-recipes-emulators` starts them; the variables
// below override them (the launcher and the tests start emulators on free ports).
const EMULATOR_DEFAULTS = {
  smtp: "smtp://127.0.0.1:2525",
  slack: "http://127.0.0.1:4010",
  stripe: "http://127.0.0.1:4020",
  segment: "http://127.0.0.1:4030",
  inbox: "http://127.0.0.1:4000/_inbox",
  slackToken: "xoxb-emulated-0000-token",
  stripeKey: "sk_test_emulator",
  segmentWriteKey: "emulated-segment-write-key",
};

function env(name: string): string | undefined {
  const value = process.env[name]?.trim();
  return value ? value : undefined;
}

/**
 * A pooled transport: the server keeps up to two SMTP connections open and reuses them, so a sign-up
 * does not pay for a new connection (TCP, greeting, EHLO, and TLS with a real server) on every welcome
 * email. Measured against the emulator, whose greeting waits 100 ms as many servers do: about 150 ms
 * per message unpooled, 45 ms pooled.
 */
function welcomeTransport(url: string): nodemailer.Transporter {
  // In the URL's query: nodemailer reads only the URL when given `{ url, pool }`.
  const pooled = new URL(url);
  pooled.searchParams.set("pool", "true");
  pooled.searchParams.set("maxConnections", "2");
  return nodemailer.createTransport(pooled.href);
}

function smtp(): SmtpService {
  const from = env("EMAIL_FROM") ?? "Auth Recipes demo <demo@auth-recipes.test>";
  const url = env("SMTP_URL") ?? env("EMAIL_SERVER");
  if (url) return { target: "real", server: url, transport: welcomeTransport(url), from };
  // The emulator offers no STARTTLS, so nodemailer speaks plain SMTP to it.
  const server = env("EMULATOR_SMTP_URL") ?? EMULATOR_DEFAULTS.smtp;
  return { target: "emulator", server, transport: welcomeTransport(server), from };
}

function slack(): SlackService {
  const channel = env("SLACK_CHANNEL") ?? "#signups";
  // Bounded: the WebClient's defaults retry for about 30 minutes and never time out.
  const bounds = {
    retryConfig: { retries: 1, minTimeout: 200, maxTimeout: 1_000 },
    timeout: 3_000,
    rejectRateLimitedCalls: true,
  };
  const token = env("SLACK_BOT_TOKEN");
  if (token) return { target: "real", client: new WebClient(token, bounds), channel };
  const url = new URL("/api/", env("EMULATOR_SLACK_URL") ?? EMULATOR_DEFAULTS.slack).href;
  const client = new WebClient(env("EMULATOR_SLACK_TOKEN") ?? EMULATOR_DEFAULTS.slackToken, {
    ...bounds,
    slackApiUrl: url,
  });
  return { target: "emulator", client, channel };
}

function stripe(): StripeService {
  // The recipe sets each request's timeout from its deadline and leaves retries to core.
  const config = { telemetry: false, maxNetworkRetries: 0 };
  const key = env("STRIPE_SECRET_KEY");
  if (key) return { target: "real", stripe: new Stripe(key, config) };
  const url = new URL(env("EMULATOR_STRIPE_URL") ?? EMULATOR_DEFAULTS.stripe);
  const client = new Stripe(env("EMULATOR_STRIPE_KEY") ?? EMULATOR_DEFAULTS.stripeKey, {
    ...config,
    host: url.hostname,
    port: Number(url.port),
    protocol: "http",
  });
  return { target: "emulator", stripe: client };
}

function segment(): SegmentService {
  const bounds = { maxRetries: 1, httpRequestTimeout: 3_000 };
  const writeKey = env("SEGMENT_WRITE_KEY");
  if (writeKey) return { target: "real", analytics: new Analytics({ writeKey, ...bounds }) };
  const analytics = new Analytics({
    ...bounds,
    writeKey: env("EMULATOR_SEGMENT_WRITE_KEY") ?? EMULATOR_DEFAULTS.segmentWriteKey,
    host: env("EMULATOR_SEGMENT_URL") ?? EMULATOR_DEFAULTS.segment,
    path: "/v1/batch",
  });
  return { target: "emulator", analytics };
}

let services: Services | undefined;

/** The clients, made once per server process on first use (never at build time). */
export function getServices(): Services {
  if (services) return services;
  const made = { smtp: smtp(), slack: slack(), stripe: stripe(), segment: segment() };
  const emulated = Object.values(made).some((service) => service.target === "emulator");
  services = {
    ...made,
    inboxUrl: emulated ? (env("EMULATOR_INBOX_URL") ?? EMULATOR_DEFAULTS.inbox) : undefined,
  };
  return services;
}
