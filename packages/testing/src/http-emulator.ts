import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import type { Socket } from "node:net";

/** One HTTP request as an emulator received it, whatever it answered. */
export interface RecordedRequest {
  method: string;
  /** The path with its query string. */
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw body, as text. */
  body: string;
  /** When it arrived, in ms since the epoch. */
  receivedAt: number;
}

/** What a service's handler answers. */
export interface EmulatorResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Options for {@link Faults.fail}. */
export interface FailOptions {
  /**
   * How many of the next requests fail.
   * @default 1
   */
  times?: number;
  /**
   * The HTTP status (or, for SMTP, the reply code) of the failures.
   * @default 500 (SMTP: 451)
   */
  status?: number;
  /** The body (JSON-encoded unless a string) or, for SMTP, the reply text. */
  body?: unknown;
  /** Extra response headers, such as `Retry-After`. */
  headers?: Record<string, string>;
}

/** Fault injection, shared by every emulator. */
export interface Faults {
  /** Fail the next `times` requests with `status`, before the service sees them. */
  fail(options?: FailOptions): void;
  /** Wait `ms` before every answer (0 turns it off). */
  delay(ms: number): void;
  /** Accept every request from now on and never answer it, until {@link Faults.reset} or `up()`. */
  hang(): void;
  /** Stop listening: connections are refused (the port stays reserved for {@link Faults.up}). */
  down(): Promise<void>;
  /** Listen again on the same port, with faults cleared. */
  up(): Promise<void>;
}

/** What every emulator returns. */
export interface Emulator extends Faults {
  /** The base URL, such as `http://127.0.0.1:54321`. */
  url: string;
  port: number;
  /** Every request received, in order, including failed and hung ones. */
  requests: RecordedRequest[];
  /** Forget everything received and clear every fault. */
  reset(): void;
  /** Stop the server. Never hangs, whatever sockets are open or hung. */
  close(): Promise<void>;
}

/** Options every emulator takes. */
export interface EmulatorOptions {
  /**
   * The port to listen on; 0 picks a free one.
   * @default 0
   */
  port?: number;
  /**
   * The address to listen on. Keep it on loopback: emulators accept any client.
   * @default "127.0.0.1"
   */
  host?: string;
}

/**
 * The shared machinery of the HTTP emulators: a real server on loopback that records every request
 * and applies the faults, then hands the request to the service's handler.
 */
export async function startHttpEmulator(
  options: EmulatorOptions,
  handle: (request: RecordedRequest) => EmulatorResponse | Promise<EmulatorResponse>,
  onReset: () => void,
): Promise<Emulator> {
  const host = options.host ?? "127.0.0.1";
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let failures: Required<Pick<FailOptions, "times" | "status">> & FailOptions = {
    times: 0,
    status: 500,
  };
  let delayMs = 0;
  let hanging = false;

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request: RecordedRequest = {
      method: req.method ?? "GET",
      path: req.url ?? "/",
      headers: req.headers,
      body: Buffer.concat(chunks).toString("utf8"),
      receivedAt: Date.now(),
    };
    requests.push(request);
    if (hanging) return; // Held open until the socket is destroyed.
    if (delayMs > 0) await new Promise((wake) => setTimeout(wake, delayMs));
    let response: EmulatorResponse;
    if (failures.times > 0) {
      failures.times--;
      response = {
        status: failures.status,
        body: failures.body ?? { error: { message: "injected failure" } },
        headers: failures.headers,
      };
    } else {
      try {
        response = await handle(request);
      } catch (error) {
        response = { status: 500, body: { error: { message: String(error) } } };
      }
    }
    if (res.destroyed) return;
    const body =
      typeof response.body === "string" ? response.body : JSON.stringify(response.body ?? {});
    res.writeHead(response.status, {
      "content-type": typeof response.body === "string" ? "text/plain" : "application/json",
      ...response.headers,
    });
    res.end(body);
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  // A client that resets its connection must not crash the process that hosts the emulator.
  server.on("clientError", (_error, socket) => socket.destroy());

  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        const address = server.address();
        resolve(typeof address === "object" && address ? address.port : port);
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      if (!server.listening) return resolve();
      server.close(() => resolve());
    });
  const clearFaults = () => {
    failures = { times: 0, status: 500 };
    delayMs = 0;
    hanging = false;
  };

  const port = await listen(options.port ?? 0);
  return {
    url: `http://${host}:${port}`,
    port,
    requests,
    fail(fail = {}) {
      failures = { ...fail, times: fail.times ?? 1, status: fail.status ?? 500 };
    },
    delay(ms) {
      delayMs = ms;
    },
    hang() {
      hanging = true;
    },
    down: stop,
    async up() {
      clearFaults();
      if (!server.listening) await listen(port);
    },
    reset() {
      requests.length = 0;
      clearFaults();
      onReset();
    },
    close: stop,
  };
}
