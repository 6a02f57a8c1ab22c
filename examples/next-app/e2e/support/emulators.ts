import { createServer } from "node:http";
import { type Emulators as Started, startEmulators } from "@auth-recipes/testing";

/** The four emulators, in this process so a test can inject faults, and the app's variables for them. */
export interface Emulators extends Started {
  /** The app's variables that point it at these emulators and their inbox. */
  env: Record<string, string>;
}

/** Serves `GET /_inbox` as the emulators' bin does, for the deliveries page. */
async function serveInbox(emulators: Started) {
  const server = createServer((request, response) => {
    if (request.method !== "GET" || request.url !== "/_inbox") {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify(emulators.inbox()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/_inbox`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The variables `auth-recipes-emulators` prints, for emulators started in this process. */
export function emulatorEnv(emulators: Started, inboxUrl: string): Record<string, string> {
  const { smtp, slack, stripe, segment } = emulators;
  return {
    SMTP_URL: smtp.smtpUrl,
    EMAIL_SERVER: smtp.smtpUrl,
    SLACK_API_URL: slack.clientOptions.slackApiUrl,
    SLACK_TOKEN: slack.token,
    STRIPE_HOST: stripe.clientOptions.host,
    STRIPE_PORT: String(stripe.clientOptions.port),
    STRIPE_PROTOCOL: stripe.clientOptions.protocol,
    STRIPE_SECRET_KEY: stripe.apiKey,
    SEGMENT_HOST: segment.clientOptions.host,
    SEGMENT_PATH: segment.clientOptions.path,
    SEGMENT_WRITE_KEY: segment.writeKey,
    AUTH_RECIPES_INBOX_URL: inboxUrl,
  };
}

/**
 * Starts the four emulators on free ports, and their inbox. Every variable a service reads is set, so
 * real credentials in the tester's environment never turn a test into a real delivery.
 */
export async function startAll(): Promise<Emulators> {
  const emulators = await startEmulators();
  const inbox = await serveInbox(emulators);
  const closeEmulators = emulators.close;
  return Object.assign(emulators, {
    env: emulatorEnv(emulators, inbox.url),
    close: async () => {
      await Promise.all([inbox.close(), closeEmulators()]);
    },
  });
}
