// The example over HTTP: its server on a SQLite file, the four recipes, the emulators; and the demo
// command itself, started as a user starts it.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Emulators, type EmulatorsInbox, startEmulators } from "@auth-recipes/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recipesFor } from "../src/recipes.ts";
import { type Server, startServer } from "../src/server.ts";

const json = (url: string) => ({ origin: url, "content-type": "application/json" });

async function signUpAndOut(url: string, email: string): Promise<string> {
  const signUp = await fetch(`${url}/api/auth/sign-up/email`, {
    method: "POST",
    headers: json(url),
    body: JSON.stringify({ email, password: "correct horse battery", name: "Alice Liddell" }),
  });
  expect(signUp.status).toBe(200);
  const { user } = (await signUp.json()) as { user: { id: string } };
  const cookie = signUp.headers.get("set-cookie")?.split(";")[0] ?? "";
  const signOut = await fetch(`${url}/api/auth/sign-out`, {
    method: "POST",
    headers: { ...json(url), cookie },
    body: "{}",
  });
  expect(signOut.status).toBe(200);
  return user.id;
}

describe("the better-auth example", () => {
  let emulators: Emulators;
  let server: Server;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "better-auth-example-"));
    emulators = await startEmulators();
    server = await startServer({
      port: 0,
      recipes: recipesFor(emulators),
      databasePath: join(dir, "auth.sqlite"),
    });
  });
  afterAll(async () => {
    await server?.close();
    await emulators?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("a sign-up and a sign-out over HTTP reach all four services once", async () => {
    const userId = await signUpAndOut(server.url, "alice@example.test");
    const { smtp, slack, stripe, segment } = emulators;
    expect(smtp.messages.map((mail) => mail.envelope.to)).toEqual([["alice@example.test"]]);
    expect(slack.channel("#signups")).toHaveLength(1);
    expect(stripe.customers.map((c) => [c.email, c.metadata.userId])).toEqual([
      ["alice@example.test", userId],
    ]);
    await expect
      .poll(() => segment.messages.map((m) => m.event ?? m.type))
      .toEqual(["identify", "Signed Up", "Signed In", "Signed Out"]);
  });
});

describe("the demo command", () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    // Its own process group: whatever is left of it.
    if (child?.pid) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {}
    }
  });

  it("`npm run demo:better-auth` serves sign-ups, prints a line per event and per delivery, and ends cleanly on Ctrl-C", async () => {
    // As a user runs it: npm from the repository root, in a process group of its own (a terminal's).
    child = spawn("npm", ["run", "demo:better-auth"], {
      cwd: new URL("../../..", import.meta.url).pathname,
      env: { ...process.env, PORT: "0" },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let output = "";
    child.stdout?.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr?.on("data", (chunk) => {
      output += chunk;
    });
    // tsx compiles the workspace's sources on start: tens of seconds on a loaded machine.
    await expect.poll(() => output, { timeout: 90_000 }).toContain("Stop with Ctrl-C.");
    const url = output.match(/better-auth on (http:\/\/127\.0\.0\.1:\d+)/)?.[1];
    const inboxUrl = output.match(/received: (http:\/\/127\.0\.0\.1:\d+\/_inbox)/)?.[1];
    expect(url && inboxUrl).toBeTruthy();
    await signUpAndOut(url!, "bob@example.test");
    await expect
      .poll(async () => {
        const inbox = (await (await fetch(inboxUrl!)).json()) as EmulatorsInbox;
        return {
          mail: inbox.smtp.messages.length,
          slack: inbox.slack.messages.length,
          customers: inbox.stripe.customers.length,
          segment: inbox.segment.messages.length,
        };
      })
      .toEqual({ mail: 1, slack: 1, customers: 1, segment: 4 });
    // One line per event and per delivery, so nobody has to read the inbox's JSON.
    await expect
      .poll(() => output.split("\n").filter((line) => line.startsWith("[delivered] ")).length)
      .toBe(7);
    expect(output).toMatch(
      /^\[auth-recipes\] createUser settled in \d+ ms: welcome-email fulfilled/m,
    );
    expect(output).toMatch(/^\[auth-recipes\] signOut settled in \d+ ms: /m);
    expect(output).toContain('[delivered] SMTP: an email, "Welcome to Acme"');
    expect(output).toContain("[delivered] Slack: a message in #signups");
    expect(output).toMatch(/^\[delivered\] Stripe: customer cus_\w+ created$/m);
    expect(output).toContain('[delivered] Segment: track "Signed Out"');
    // The lines name no one: the user's address is in the inbox, not in the log.
    expect(output).not.toContain("bob@example.test");

    // Ctrl-C: SIGINT to the whole group. npm ends by the signal, as a shell's own commands do, and
    // nothing in between reports it as a failure (pnpm's "Command failed" did, when the script went
    // through pnpm's shell).
    const exited = new Promise<string>((done) =>
      child?.once("exit", (code, signal) => done(signal ?? `code ${code}`)),
    );
    process.kill(-child.pid!, "SIGINT");
    expect(["code 0", "code 130", "SIGINT"]).toContain(await exited);
    expect(output).not.toMatch(/Command failed|ELIFECYCLE|ERR!/);
  }, 150_000);
});
