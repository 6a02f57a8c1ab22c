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

export async function startAll(): Promise<Emulators> {
  const emulators = await startEmulators();
  const inbox = await serveInbox(emulators);
  const { smtp, slack, stripe, segment } = emulators;
  const closeEmulators = emulators.close;
  return Object.assign(emulators, {
    env: {
      EMULATOR_SMTP_URL: smtp.smtpUrl,
      EMULATOR_SLACK_URL: slack.url,
      EMULATOR_SLACK_TOKEN: slack.token,
      EMULATOR_STRIPE_URL: stripe.url,
      EMULATOR_STRIPE_KEY: stripe.apiKey,
      EMULATOR_SEGMENT_URL: segment.url,
      EMULATOR_SEGMENT_WRITE_KEY: segment.writeKey,
      EMULATOR_INBOX_URL: inbox.url,
    },
    close: async () => {
      await Promise.all([inbox.close(), closeEmulators()]);
    },
  });
}
