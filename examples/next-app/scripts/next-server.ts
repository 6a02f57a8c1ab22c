import { type ChildProcess, spawn } from "node:child_process";
import { APP_DIR, forEachLine, freePort, NEXT_BIN, ownChild, stopServer } from "./processes.ts";

/** A running `next start`. */
export interface NextServer {
  /** `http://127.0.0.1:PORT`, which NEXTAUTH_URL is set to. */
  origin: string;
  port: number;
  /** Every line the server printed (stdout and stderr), in order. */
  log: string[];
  child: ChildProcess;
  /** Stops the process that listens and the one spawned. */
  stop(): Promise<void>;
}

export interface StartNextOptions {
  /** Variables for the app, over the current environment. */
  env?: Record<string, string | undefined>;
  /** A fixed port; a free one when omitted. */
  port?: number;
  /** Called with each line the server prints. */
  onLine?: (line: string) => void;
  /** How long to wait for the first answer. */
  readyTimeoutMs?: number;
}

/**
 * Starts the production build (`next start`) on 127.0.0.1 and resolves once it answers. NEXTAUTH_URL is
 * that exact origin: next-auth builds its links and checks its redirects against it.
 */
export async function startNext(options: StartNextOptions = {}): Promise<NextServer> {
  const port = options.port ?? (await freePort());
  const origin = `http://127.0.0.1:${port}`;
  const log: string[] = [];
  const child = spawn(
    process.execPath,
    [NEXT_BIN, "start", "--hostname", "127.0.0.1", "--port", String(port)],
    {
      cwd: APP_DIR,
      env: {
        ...process.env,
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        NEXTAUTH_URL: origin,
        ...options.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  ownChild(child);
  forEachLine(child, (line) => {
    log.push(line);
    options.onLine?.(line);
  });
  const server: NextServer = { origin, port, log, child, stop: () => stopServer(port, child) };

  const until = Date.now() + (options.readyTimeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`next start exited before answering:\n${log.join("\n")}`);
    }
    try {
      // Any answer means it listens; /api/auth/csrf also proves next-auth is configured.
      const response = await fetch(`${origin}/api/auth/csrf`, {
        signal: AbortSignal.timeout(5_000),
      });
      await response.arrayBuffer();
      if (response.ok) return server;
      throw new Error(`next start answered ${response.status}:\n${log.join("\n")}`);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith("next start answered")) {
        await server.stop();
        throw error;
      }
    }
    if (Date.now() > until) {
      await server.stop();
      throw new Error(`next start did not answer within the time allowed:\n${log.join("\n")}`);
    }
    await new Promise((wake) => setTimeout(wake, 200));
  }
}
