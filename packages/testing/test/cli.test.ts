import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { WebClient } from "@slack/web-api";
import nodemailer from "nodemailer";
import { Resend } from "resend";
import Stripe from "stripe";
import { afterEach, describe, expect, it } from "vitest";
import { EMULATOR_DEFAULTS, SERVICE_EMULATORS, startHttpEmulator } from "../src/index.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const children: ChildProcess[] = [];
const KEYS = SERVICE_EMULATORS.map(({ key }) => key);

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves once the bin printed its last line of start-up (or exited). */
  ready: Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs the bin from source, as `node` would run the built one, with the given arguments. */
function run(args: string[], env: Record<string, string> = {}): Run {
  const child = spawn(
    process.execPath,
    ["--conditions=@auth-recipes/source", "--import", "tsx", "src/cli.ts", ...args],
    { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] },
  );
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8");
  child.stderr?.setEncoding("utf8");
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  const ready = new Promise<void>((resolve) => {
    child.stdout?.on("data", (chunk: string) => {
      stdout += chunk;
      if (/Ctrl-C to stop|^\{"env"/m.test(stdout)) resolve();
    });
    exited.then(() => resolve());
  });
  child.stderr?.on("data", (chunk: string) => {
    stderr += chunk;
  });
  return { child, stdout: () => stdout, stderr: () => stderr, ready, exited };
}

/** The KEY=value lines the bin printed. */
function variables(stdout: string): Record<string, string> {
  return Object.fromEntries(
    stdout
      .split("\n")
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );
}

/** Ports that were free a moment ago (the OS does not hand them out again at once). */
async function freePorts(count: number): Promise<number[]> {
  const probes = await Promise.all(
    Array.from({ length: count }, () => startHttpEmulator({}, () => ({ status: 204 }))),
  );
  await Promise.all(probes.map((probe) => probe.close()));
  return probes.map((probe) => probe.port);
}

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

describe("auth-recipes-emulators", () => {
  it("starts every emulator on the ports given, prints the variables, serves /_inbox, stops on SIGTERM", async () => {
    const [
      smtpPort,
      slackPort,
      stripePort,
      segmentPort,
      posthogPort,
      inboxPort,
      envSlackPort,
      webhookPort,
      resendPort,
    ] = await freePorts(9);
    const bin = run(
      [
        `--smtp-port=${smtpPort}`,
        `--slack-port=${slackPort}`,
        `--stripe-port=${stripePort}`,
        `--segment-port=${segmentPort}`,
        `--posthog-port=${posthogPort}`,
        `--webhook-port=${webhookPort}`,
        `--resend-port=${resendPort}`,
      ],
      // Read from the environment, and a flag wins over it.
      { AUTH_RECIPES_INBOX_PORT: String(inboxPort), AUTH_RECIPES_SLACK_PORT: String(envSlackPort) },
    );
    await bin.ready;
    const env = variables(bin.stdout());
    expect(env).toEqual({
      EMAIL_SERVER: `smtp://127.0.0.1:${smtpPort}`,
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      SLACK_API_URL: `http://127.0.0.1:${slackPort}/api/`,
      SLACK_TOKEN: expect.any(String),
      STRIPE_HOST: "127.0.0.1",
      STRIPE_PORT: String(stripePort),
      STRIPE_PROTOCOL: "http",
      STRIPE_SECRET_KEY: expect.stringMatching(/^sk_test_/),
      SEGMENT_HOST: `http://127.0.0.1:${segmentPort}`,
      SEGMENT_PATH: "/v1/batch",
      SEGMENT_WRITE_KEY: expect.any(String),
      POSTHOG_HOST: `http://127.0.0.1:${posthogPort}`,
      POSTHOG_API_KEY: "phc_emulator_key",
      WEBHOOK_URL: `http://127.0.0.1:${webhookPort}/webhook`,
      WEBHOOK_SECRET: EMULATOR_DEFAULTS.webhookSecret,
      RESEND_BASE_URL: `http://127.0.0.1:${resendPort}`,
      AUTH_RECIPES_INBOX_URL: `http://127.0.0.1:${inboxPort}/_inbox`,
    });

    // An app configured from those variables alone reaches every emulator.
    await nodemailer.createTransport(env.SMTP_URL!).sendMail({
      from: "hello@acme.test",
      to: "alice@example.test",
      subject: "Welcome",
      text: "Hi",
    });
    const slack = new WebClient(env.SLACK_TOKEN, {
      slackApiUrl: env.SLACK_API_URL,
      retryConfig: { retries: 0 },
    });
    await slack.chat.postMessage({ channel: "#signups", text: "Alice signed up" });
    const stripe = new Stripe(env.STRIPE_SECRET_KEY!, {
      host: env.STRIPE_HOST,
      port: Number(env.STRIPE_PORT),
      protocol: "http",
      maxNetworkRetries: 0,
      telemetry: false,
    });
    await stripe.customers.create({ email: "alice@example.test" });
    const batch = await fetch(`${env.SEGMENT_HOST}${env.SEGMENT_PATH}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Basic ${Buffer.from(`${env.SEGMENT_WRITE_KEY}:`).toString("base64")}`,
      },
      body: JSON.stringify({
        batch: [{ type: "track", userId: "user_alice", event: "Signed Up" }],
      }),
    });
    expect(batch.status).toBe(200);
    const captured = await fetch(`${env.POSTHOG_HOST}/batch/`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        api_key: env.POSTHOG_API_KEY,
        batch: [{ event: "user signed up", distinct_id: "user_alice" }],
      }),
    });
    expect(captured.status).toBe(200);
    const hook = await fetch(env.WEBHOOK_URL!, { method: "POST", body: "{}" });
    expect(hook.status).toBe(400);
    const resend = new Resend(EMULATOR_DEFAULTS.resendApiKey, { baseUrl: env.RESEND_BASE_URL });
    const sent = await resend.emails.send({
      from: "hello@acme.test",
      to: "alice@example.test",
      subject: "Welcome",
      text: "Hi",
    });
    expect(sent.error).toBeNull();

    const inbox = await (await fetch(env.AUTH_RECIPES_INBOX_URL!)).json();
    expect(inbox.smtp.messages).toMatchObject([
      { envelope: { to: ["alice@example.test"] }, subject: "Welcome" },
    ]);
    expect(inbox.slack.messages).toMatchObject([
      { channelName: "signups", text: "Alice signed up" },
    ]);
    expect(inbox.stripe.customers).toMatchObject([{ email: "alice@example.test" }]);
    expect(inbox.segment.messages).toMatchObject([{ type: "track", event: "Signed Up" }]);
    expect(inbox.posthog.events).toMatchObject([{ event: "user signed up" }]);
    expect(inbox.webhook.deliveries).toMatchObject([{ signatureValid: false, answer: 400 }]);
    expect(inbox.resend.emails).toMatchObject([{ to: ["alice@example.test"], subject: "Welcome" }]);
    expect(JSON.stringify(inbox)).not.toContain(env.STRIPE_SECRET_KEY);
    expect(JSON.stringify(inbox)).not.toContain(EMULATOR_DEFAULTS.resendApiKey);

    const cleared = await fetch(env.AUTH_RECIPES_INBOX_URL!, { method: "DELETE" });
    expect(cleared.status).toBe(200);
    const empty = await (await fetch(env.AUTH_RECIPES_INBOX_URL!)).json();
    expect(empty.slack.messages).toEqual([]);
    expect(empty.stripe.customers).toEqual([]);
    const elsewhere = await fetch(env.AUTH_RECIPES_INBOX_URL!.replace("/_inbox", "/"));
    expect(elsewhere.status).toBe(404);
    await elsewhere.arrayBuffer();

    bin.child.kill("SIGTERM");
    expect(await bin.exited).toEqual({ code: 0, signal: null });
    expect(bin.stderr()).toContain("SIGTERM, stopping");
    const refused = await fetch(env.AUTH_RECIPES_INBOX_URL!).catch(
      (error: Error) => (error.cause as { code?: string }).code,
    );
    expect(refused).toBe("ECONNREFUSED");
  });

  it("prints one JSON line with --json, picks free ports with 0, and stops on SIGINT", async () => {
    const zero = [...KEYS, "inbox"].map((name) => `--${name}-port=0`);
    const bin = run([...zero, "--json"]);
    await bin.ready;
    const printed = JSON.parse(bin.stdout().trim());
    expect(printed.inbox).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/_inbox$/);
    expect(printed.env.AUTH_RECIPES_INBOX_URL).toBe(printed.inbox);
    expect(printed.env.STRIPE_PORT).not.toBe("0");
    const inbox = await (await fetch(printed.inbox)).json();
    expect(Object.keys(inbox)).toEqual(KEYS);
    bin.child.kill("SIGINT");
    expect(await bin.exited).toEqual({ code: 0, signal: null });
  });

  it("documents the defaults of EMULATOR_DEFAULTS in its help", async () => {
    const help = run(["--help"]);
    expect((await help.exited).code).toBe(0);
    const { host, ports } = EMULATOR_DEFAULTS;
    expect(help.stdout()).toContain(`GET    http://${host}:${ports.inbox}/_inbox`);
    for (const service of [...KEYS, "inbox"] as const) {
      expect(help.stdout()).toMatch(
        new RegExp(`--${service}-port <n> .* default ${ports[service]}\\n`),
      );
    }
  });

  it("refuses a bad port with a usage error, and a taken port with a clear one", async () => {
    const taken = await startHttpEmulator({}, () => ({ status: 204 }));
    try {
      const bad = run(["--slack-port=70000"]);
      const busy = run(
        KEYS.map((key) => `--${key}-port=0`),
        { AUTH_RECIPES_INBOX_PORT: String(taken.port) },
      );
      expect((await bad.exited).code).toBe(2);
      expect(bad.stderr()).toContain(
        "--slack-port (or AUTH_RECIPES_SLACK_PORT) must be a port number",
      );
      expect((await busy.exited).code).toBe(1);
      expect(busy.stderr()).toMatch(/EADDRINUSE.*a port is taken/);
    } finally {
      await taken.close();
    }
  });
});
