// A real redis-server for tests of durable dispatch (`@auth-recipes/bullmq`): no emulator of Redis, the
// server itself (Debian's `redis-server` package, or any on the PATH), on a free loopback port, in a
// temporary directory of its own.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** How {@link startRedisServer} runs the server. */
export interface RedisServerOptions {
  /**
   * The redis-server executable.
   * @default process.env.REDIS_SERVER, else "redis-server" (found on the PATH)
   */
  command?: string;
  /**
   * Keep an append-only file in the server's directory, so that `stop()` then `start()` (a restart)
   * keeps every job that was written. Off, the server persists nothing.
   * @default true
   */
  appendOnly?: boolean;
  /**
   * How long to wait for the server to accept connections, in ms.
   * @default 10000
   */
  startTimeoutMs?: number;
}

/** A redis-server that {@link startRedisServer} started. */
export interface RedisServer {
  /** The loopback port it listens on; the same after a restart. */
  readonly port: number;
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  /** For BullMQ's `connection` option (and ioredis): `{ host: "127.0.0.1", port }`. */
  readonly connection: { host: string; port: number };
  /** Stops the server with SIGTERM, which writes its append-only file; resolves once it exited. */
  stop(): Promise<void>;
  /** Starts it again on the same port and directory (after {@link RedisServer.stop}). */
  start(): Promise<void>;
  /** Stops it and removes its directory. */
  close(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

// What redis-server prints once it accepts connections, and when another process took its port.
const READY = "Ready to accept connections";
const PORT_TAKEN = "Address already in use";

/**
 * Starts a redis-server on a free port of 127.0.0.1, in a new temporary directory, with
 * `maxmemory-policy noeviction` (BullMQ's keys must never be evicted) and, by default, the append-only
 * file on. Rejects with a message saying how to install it when there is no redis-server.
 *
 * @example
 * ```ts
 * import { startRedisServer } from "@auth-recipes/testing";
 * import { Queue } from "bullmq";
 *
 * const redis = await startRedisServer();
 * const queue = new Queue("auth-recipes", { connection: redis.connection });
 * // … enqueue, then kill and restart Redis: nothing written is lost
 * await redis.stop();
 * await redis.start();
 * await queue.close();
 * await redis.close();
 * ```
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const command = options.command ?? process.env.REDIS_SERVER ?? "redis-server";
  const startTimeoutMs = options.startTimeoutMs ?? 10_000;
  const dir = mkdtempSync(join(tmpdir(), "auth-recipes-redis-"));
  let port = await freePort();
  let child: ChildProcess | undefined;

  const launch = () =>
    new Promise<void>((resolve, reject) => {
      const server = spawn(
        command,
        [
          ...["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", ""],
          ...["--appendonly", options.appendOnly === false ? "no" : "yes"],
          ...["--maxmemory-policy", "noeviction"],
        ],
        { stdio: ["ignore", "pipe", "pipe"] },
      );
      child = server;
      let output = "";
      const fail = (error: Error) => {
        clearTimeout(timer);
        server.kill("SIGKILL");
        reject(error);
      };
      const timer = setTimeout(
        () => fail(new Error(`redis-server did not start within ${startTimeoutMs} ms: ${output}`)),
        startTimeoutMs,
      );
      server.stdout?.on("data", (chunk: Buffer) => {
        output += chunk;
        if (output.includes(READY)) {
          clearTimeout(timer);
          resolve();
        }
      });
      server.once("error", (error: NodeJS.ErrnoException) =>
        fail(
          error.code === "ENOENT"
            ? new Error(
                `${command} is not installed: apt-get install redis-server (Debian, Ubuntu), or set REDIS_SERVER to its path`,
              )
            : error,
        ),
      );
      server.once("exit", (code) => fail(new Error(`redis-server exited (${code}): ${output}`)));
    });

  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once("exit", () => resolve());
      running.kill("SIGTERM");
    });
  };

  // Between freePort() and the server's bind another process may take the port: try another one.
  for (let tries = 1; ; tries++) {
    try {
      await launch();
      break;
    } catch (error) {
      const taken = error instanceof Error && error.message.includes(PORT_TAKEN);
      if (!taken || tries === 3) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
      port = await freePort();
    }
  }
  const host = "127.0.0.1";
  return {
    port,
    url: `redis://${host}:${port}`,
    connection: { host, port },
    stop,
    start: launch,
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
