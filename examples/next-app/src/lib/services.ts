import { EMULATOR_DEFAULTS } from "@auth-recipes/testing/defaults";
import { Analytics } from "@segment/analytics-node";
import { WebClient } from "@slack/web-api";
import nodemailer from "nodemailer";
import { PostHog } from "posthog-node";
import { Resend } from "resend";
import Stripe from "stripe";

/**
 * The clients of the services, made from environment variables. A service whose credential is not
 * set goes to its local emulator, at the address and with the credential that `auth-recipes-emulators`
 * uses by default, so the app runs with no account at all. The variables are the ones that bin prints,
 * so its output can be pasted into `.env.local` as it is.
 */
export interface Services {
  smtp: SmtpService;
  slack: SlackService;
  stripe: StripeService;
  segment: SegmentService;
  posthog: PostHogService;
  webhook: WebhookService;
  /** The welcome email's transport when it is Resend (`EMAIL_TRANSPORT=resend`, or `RESEND_API_KEY` set). */
  resend: ResendService | undefined;
  /** Where the emulators' `GET /_inbox` answers: what the deliveries page shows. */
  inboxUrl: string;
}

/** The SMTP server for both the magic links (next-auth's Email provider) and the welcome email. */
export interface SmtpService {
  /** Where mail goes, without credentials: shown on the home page. */
  endpoint: string;
  /**
   * The SMTP URL, for next-auth's `EmailProvider({ server })`. A URL, not an options object: next-auth
   * deep-merges an object over its defaults, which carry an empty `auth`, and nodemailer then tries to
   * log in with it.
   */
  server: string;
  /** The welcome email's transport: pooled, see {@link welcomeTransport}. */
  transport: nodemailer.Transporter;
  from: string;
}

export interface SlackService {
  endpoint: string;
  client: WebClient;
  channel: string;
}

export interface StripeService {
  endpoint: string;
  stripe: Stripe;
}

export interface SegmentService {
  endpoint: string;
  analytics: Analytics;
}

export interface PostHogService {
  endpoint: string;
  posthog: PostHog;
}

export interface WebhookService {
  /** The URL without credentials or query string: shown on the page. */
  endpoint: string;
  url: string;
  secret: string;
}

/** Resend's API, for the welcome email only: magic links still go through SMTP (next-auth's provider). */
export interface ResendService {
  endpoint: string;
  client: Resend;
}

const { host: EMULATOR_HOST, ports: EMULATOR_PORTS } = EMULATOR_DEFAULTS;

/**
 * What `auth-recipes-emulators` listens on and accepts when run without options, from the constant the
 * bin itself reads (`@auth-recipes/testing/defaults`, which loads no emulator: each is imported only
 * when started, so the app's server reads it without them).
 */
const EMULATOR_FALLBACKS = {
  smtpUrl: `smtp://${EMULATOR_HOST}:${EMULATOR_PORTS.smtp}`,
  slackApiUrl: `http://${EMULATOR_HOST}:${EMULATOR_PORTS.slack}/api/`,
  slackToken: EMULATOR_DEFAULTS.slackToken,
  stripeHost: EMULATOR_HOST,
  stripePort: String(EMULATOR_PORTS.stripe),
  stripeProtocol: "http",
  stripeKey: EMULATOR_DEFAULTS.stripeApiKey,
  segmentHost: `http://${EMULATOR_HOST}:${EMULATOR_PORTS.segment}`,
  segmentWriteKey: EMULATOR_DEFAULTS.segmentWriteKey,
  posthogHost: `http://${EMULATOR_HOST}:${EMULATOR_PORTS.posthog}`,
  posthogApiKey: EMULATOR_DEFAULTS.posthogApiKey,
  webhookUrl: `http://${EMULATOR_HOST}:${EMULATOR_PORTS.webhook}/webhook`,
  webhookSecret: EMULATOR_DEFAULTS.webhookSecret,
  resendBaseUrl: `http://${EMULATOR_HOST}:${EMULATOR_PORTS.resend}`,
  resendApiKey: EMULATOR_DEFAULTS.resendApiKey,
  inboxUrl: `http://${EMULATOR_HOST}:${EMULATOR_PORTS.inbox}/_inbox`,
} as const;

type Env = (name: string) => string | undefined;

/** A URL without its user and password, for display. */
function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = "";
    parsed.password = "";
    return parsed.href;
  } catch {
    return "(an SMTP URL that does not parse)";
  }
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

function smtp(env: Env): SmtpService {
  // EMAIL_SERVER is next-auth's name for it; the emulators' bin prints both.
  const server = env("SMTP_URL") ?? env("EMAIL_SERVER") ?? EMULATOR_FALLBACKS.smtpUrl;
  return {
    endpoint: withoutCredentials(server),
    server,
    transport: welcomeTransport(server),
    from: env("EMAIL_FROM") ?? "Auth Recipes demo <demo@auth-recipes.test>",
  };
}

function slack(env: Env): SlackService {
  const token = env("SLACK_TOKEN");
  const slackApiUrl =
    env("SLACK_API_URL") ?? (token ? "https://slack.com/api/" : EMULATOR_FALLBACKS.slackApiUrl);
  const client = new WebClient(token ?? EMULATOR_FALLBACKS.slackToken, {
    slackApiUrl,
    // Bounded: the WebClient's defaults retry for about 30 minutes and never time out.
    retryConfig: { retries: 1, minTimeout: 200, maxTimeout: 1_000 },
    timeout: 3_000,
    rejectRateLimitedCalls: true,
  });
  return { endpoint: slackApiUrl, client, channel: env("SLACK_CHANNEL") ?? "#signups" };
}

function stripe(env: Env): StripeService {
  const key = env("STRIPE_SECRET_KEY");
  // Stripe's own host unless told otherwise; the emulator's when there is no key.
  const host = env("STRIPE_HOST") ?? (key ? undefined : EMULATOR_FALLBACKS.stripeHost);
  const port = env("STRIPE_PORT") ?? (key ? undefined : EMULATOR_FALLBACKS.stripePort);
  const protocol = env("STRIPE_PROTOCOL") ?? (key ? undefined : EMULATOR_FALLBACKS.stripeProtocol);
  const client = new Stripe(key ?? EMULATOR_FALLBACKS.stripeKey, {
    // The recipe sets each request's timeout from its deadline and leaves retries to core.
    maxNetworkRetries: 0,
    telemetry: false,
    ...(host ? { host } : {}),
    ...(port ? { port: Number(port) } : {}),
    ...(protocol === "http" || protocol === "https" ? { protocol } : {}),
  });
  const endpoint = `${protocol ?? "https"}://${host ?? "api.stripe.com"}${port ? `:${port}` : ""}/`;
  return { endpoint, stripe: client };
}

function segment(env: Env): SegmentService {
  const writeKey = env("SEGMENT_WRITE_KEY");
  const host =
    env("SEGMENT_HOST") ?? (writeKey ? "https://api.segment.io" : EMULATOR_FALLBACKS.segmentHost);
  const path = env("SEGMENT_PATH") ?? "/v1/batch";
  const analytics = new Analytics({
    writeKey: writeKey ?? EMULATOR_FALLBACKS.segmentWriteKey,
    host,
    path,
    maxRetries: 1,
    httpRequestTimeout: 3_000,
    // Each call in a request of its own: no sign-up waits behind another's hung request.
    flushAt: 1,
  });
  return { endpoint: new URL(path, host).href, analytics };
}

function posthog(env: Env): PostHogService {
  const apiKey = env("POSTHOG_API_KEY");
  const host =
    env("POSTHOG_HOST") ?? (apiKey ? "https://us.i.posthog.com" : EMULATOR_FALLBACKS.posthogHost);
  // Bounded: the SDK's defaults retry 3 times, 3 s apart, and wait 10 s for each request.
  const client = new PostHog(apiKey ?? EMULATOR_FALLBACKS.posthogApiKey, {
    host,
    fetchRetryCount: 1,
    fetchRetryDelay: 500,
    requestTimeout: 3_000,
  });
  return { endpoint: new URL("/batch/", host).href, posthog: client };
}

function webhook(env: Env): WebhookService {
  // Both or neither: a real receiver's URL with the emulator's public test secret would be a mistake.
  const url = env("WEBHOOK_URL");
  const secret = env("WEBHOOK_SECRET");
  const real = url && secret;
  const target = real ? url : EMULATOR_FALLBACKS.webhookUrl;
  const shown = new URL(withoutCredentials(target));
  shown.search = "";
  return {
    endpoint: shown.href,
    url: target,
    secret: real ? secret : EMULATOR_FALLBACKS.webhookSecret,
  };
}

function resend(env: Env): ResendService | undefined {
  const key = env("RESEND_API_KEY");
  const transport = env("EMAIL_TRANSPORT") ?? (key ? "resend" : "smtp");
  if (transport !== "resend" && transport !== "smtp") {
    throw new TypeError('EMAIL_TRANSPORT must be "smtp" or "resend"');
  }
  if (transport === "smtp") return undefined;
  // Resend's own API with a key; the emulator's (and its key) without one.
  const baseUrl =
    env("RESEND_BASE_URL") ?? (key ? "https://api.resend.com" : EMULATOR_FALLBACKS.resendBaseUrl);
  return {
    endpoint: baseUrl,
    client: new Resend(key ?? EMULATOR_FALLBACKS.resendApiKey, { baseUrl }),
  };
}

/** Makes the clients from environment variables (the README lists each one). */
export function createServices(
  variables: Record<string, string | undefined> = process.env,
): Services {
  const env: Env = (name) => variables[name]?.trim() || undefined;
  return {
    smtp: smtp(env),
    slack: slack(env),
    stripe: stripe(env),
    segment: segment(env),
    posthog: posthog(env),
    webhook: webhook(env),
    resend: resend(env),
    inboxUrl: env("AUTH_RECIPES_INBOX_URL") ?? EMULATOR_FALLBACKS.inboxUrl,
  };
}

/** Ends what keeps connections open: the pooled SMTP transport, Segment's batching and PostHog's. */
export async function closeServices(services: Services): Promise<void> {
  services.smtp.transport.close();
  await Promise.all([
    services.segment.analytics.closeAndFlush({ timeout: 2_000 }),
    services.posthog.posthog.shutdown(2_000),
  ]);
}

let services: Services | undefined;

/** The clients, made once per server process on first use (never at build time). */
export function getServices(): Services {
  services ??= createServices();
  return services;
}
