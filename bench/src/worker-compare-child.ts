// Section 8's worker processes: our worker (startRecipeWorker on the four recipes) or a hand-written
// BullMQ worker calling the four SDK clients directly, one job per recipe, with nodemailer's default or
// pooled transport. Each reports its own CPU time between "start" and "report".
import { startRecipeWorker } from "@auth-recipes/bullmq";
import type { AuthUser } from "@auth-recipes/core";
import { Worker } from "bullmq";
import { closeClients, type Endpoints, makeClients, makeRecipes } from "./services.ts";

export interface CompareChildInput {
  /** `ours-lean`: ours with the Stripe recipe's `reuseExisting: false` (no customer lookup before the create). */
  kind: "ours" | "ours-lean" | "minimal" | "careful";
  transport: "default" | "pooled";
  endpoints: Endpoints;
  redisPort: number;
  queueName: string;
  concurrency: number;
}

/** What a hand-written job carries: the recipe to run and the user. */
export interface HandJob {
  recipe: "welcome-email" | "slack" | "stripe-customer" | "segment";
  user: AuthUser;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function start(input: CompareChildInput): { close(): Promise<void> } {
  const clients = makeClients(input.endpoints, "configured");
  if (input.transport === "default") {
    clients.mail.close();
    clients.mail = makeClients(input.endpoints, "defaults").mail;
  }
  const connection = { host: "127.0.0.1", port: input.redisPort, maxRetriesPerRequest: null };
  if (input.kind === "ours" || input.kind === "ours-lean") {
    const stripe = input.kind === "ours-lean" ? { reuseExisting: false } : {};
    const running = startRecipeWorker(makeRecipes(clients, stripe), {
      connection,
      queueName: input.queueName,
      concurrency: input.concurrency,
      onError: () => {},
    });
    running.worker.on("error", () => {});
    void running.worker.waitUntilReady().then(() => process.send?.({ ready: true }));
    return { close: () => running.close().then(() => closeClients(clients)) };
  }
  // What a user would write by hand: the same payloads, no timeouts, retries or redaction of our own.
  const careful = input.kind === "careful";
  const segment = (call: "identify" | "track", message: Record<string, unknown>) =>
    careful
      ? new Promise<void>((resolve, reject) =>
          (clients.analytics[call] as (m: unknown, cb: (e?: unknown) => void) => void)(
            message,
            (error) => (error ? reject(error) : resolve()),
          ),
        )
      : void (clients.analytics[call] as (m: unknown) => void)(message);
  const worker = new Worker<HandJob>(
    input.queueName,
    async (job) => {
      const { recipe, user } = job.data;
      const name = user.name ?? "there";
      switch (recipe) {
        case "welcome-email":
          await clients.mail.sendMail({
            from: "Bench <bench@example.test>",
            to: user.email!,
            subject: "Welcome to Bench",
            text: `Hi ${name},\n\nWelcome to Bench. We're glad you're here.\n`,
            html: `<p>Hi ${escapeHtml(name)},</p><p>Welcome to Bench. We're glad you're here.</p>`,
          });
          return;
        case "slack":
          await clients.slack.chat.postMessage({
            channel: "#signups",
            text: `New sign-up: ${name} (${user.email})`,
            blocks: [
              {
                type: "section",
                text: { type: "mrkdwn", text: `*New sign-up*: ${name} (${user.email})` },
              },
            ],
          });
          return;
        case "stripe-customer":
          await clients.stripe.customers.create(
            { email: user.email!, name, metadata: { userId: String(user.id) } },
            { idempotencyKey: `auth-recipes-customer-${user.id}` },
          );
          return;
        case "segment":
          await segment("identify", {
            userId: user.id,
            traits: { email: user.email, name },
            messageId: `${job.id}-identify`,
          });
          await segment("track", {
            userId: user.id,
            event: "Signed Up",
            messageId: `${job.id}-track`,
          });
          return;
      }
    },
    { connection, concurrency: input.concurrency },
  );
  worker.on("error", () => {});
  void worker.waitUntilReady().then(() => process.send?.({ ready: true }));
  return { close: () => worker.close().then(() => closeClients(clients)) };
}

let running: { close(): Promise<void> } | undefined;
let cpu: NodeJS.CpuUsage | undefined;
process.on("message", (message: { input?: CompareChildInput; cmd?: "start" | "report" }) => {
  if (message.input) running = start(message.input);
  else if (message.cmd === "start") cpu = process.cpuUsage();
  else if (message.cmd === "report") {
    const used = process.cpuUsage(cpu);
    process.send?.({ cpuMs: (used.user + used.system) / 1000 });
  }
});
const stop = () => void (running?.close() ?? Promise.resolve()).finally(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("disconnect", stop);
