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
   * How many of the next requests fail; `Infinity` for every one until {@link Emulator.reset}.
   * @default 1
   */
  times?: number;
  /**
   * The HTTP status (or, for SMTP, the reply code) of the failures.
   * @default 500 (SMTP: 451)
   */
  status?: number;
  /**
   * The body (JSON-encoded unless a string) or, for SMTP, the reply text.
   * @default { error: { message: "injected failure" } }
   */
  body?: unknown;
  /** Extra response headers, such as `Retry-After`. */
  headers?: Record<string, string>;
}

/** Fault injection, shared by every emulator. */
export interface Faults {
  /**
   * Fail the next `times` requests with `status`, before the service sees them: a failed request is
   * recorded in `requests` but has no effect on the service's state.
   */
  fail(options?: FailOptions): void;
  /**
   * Hold every answer for `ms` (0 turns it off). The service handles the request at once and only its
   * answer is late, so a client that gives up early has still had its effect: the "answer lost" case that
   * idempotency keys exist for.
   */
  delay(ms: number): void;
  /**
   * Accept every request from now on and never answer it (the service never sees it), until
   * {@link Emulator.reset} or `up()`.
   */
  hang(): void;
  /**
   * Stop listening: connections are refused and open ones are cut. The port is released; `up()` listens on
   * it again.
   */
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
  /**
   * Forget everything received and clear `fail`, `delay` and `hang`. Requests still hung are cut (their connections
   * closed); answers still delayed are sent at once. A `down()` emulator stays down until `up()`.
   */
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
 * and applies the faults, then hands the request to the service's handler. `onReset` clears the
 * service's own state when {@link Emulator.reset} is called.
 *
 * @example
 * ```ts
 * const hooks = await startHttpEmulator({}, (request) =>
 *   request.method === "POST" ? { status: 204 } : { status: 405 },
 * );
 * await fetch(`${hooks.url}/hook`, { method: "POST", body: "{}" });
 * hooks.requests.length; // 1
 * ```
 */
export async function startHttpEmulator(
  options: EmulatorOptions,
  handle: (request: RecordedRequest) => EmulatorResponse | Promise<EmulatorResponse>,
  onReset: () => void = () => {},
): Promise<Emulator> {
  const host = options.host ?? "127.0.0.1";
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  // Requests held by hang(), and answers waiting out delay(): reset() and close() end them.
  const hung = new Set<ServerResponse>();
  const delayed = new Set<() => void>();
  let failures: Required<Pick<FailOptions, "times" | "status">> & FailOptions = {
    times: 0,
    status: 500,
  };
  let delayMs = 0;
  let hanging = false;
  let closed = false;

  const wait = (ms: number) =>
    new Promise<void>((wake) => {
      const done = () => {
        clearTimeout(timer);
        delayed.delete(done);
        wake();
      };
      const timer = setTimeout(done, ms);
      delayed.add(done);
    });

  const respond = async (req: IncomingMessage, res: ServerResponse) => {
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
    if (hanging) {
      // Held open until reset(), down() or close() destroys the connection.
      hung.add(res);
      res.on("close", () => hung.delete(res));
      return;
    }
    // Read before handling, so that turning the delay off mid-request does not shorten this one.
    const lateBy = delayMs;
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
    if (lateBy > 0) await wait(lateBy);
    if (res.destroyed) return;
    const body =
      typeof response.body === "string" ? response.body : JSON.stringify(response.body ?? {});
    res.writeHead(response.status, {
      "content-type": typeof response.body === "string" ? "text/plain" : "application/json",
      ...response.headers,
    });
    res.end(body);
  };

  const server = createServer((req, res) => {
    // A client that goes away mid-body, or a header value that Node refuses, must not become an
    // unhandled rejection in the process that hosts the emulator (usually a test runner).
    respond(req, res).catch(() => res.destroy());
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
      for (const done of [...delayed]) done();
      if (!server.listening) return resolve();
      server.close(() => resolve());
      // Connections the parser still tracks (accepted while we were destroying the others).
      server.closeAllConnections();
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
      const times = fail.times ?? 1;
      if (!(times >= 0)) throw new RangeError('[auth-recipes/testing] fail(): "times" must be ≥ 0');
      failures = { ...fail, times, status: fail.status ?? 500 };
    },
    delay(ms) {
      if (!(ms >= 0)) throw new RangeError("[auth-recipes/testing] delay(): ms must be ≥ 0");
      delayMs = ms;
    },
    hang() {
      hanging = true;
    },
    down: stop,
    async up() {
      if (closed) throw new Error("[auth-recipes/testing] up(): the emulator is closed");
      clearFaults();
      if (!server.listening) await listen(port);
    },
    reset() {
      requests.length = 0;
      clearFaults();
      for (const res of [...hung]) res.destroy();
      for (const done of [...delayed]) done();
      onReset();
    },
    close() {
      closed = true;
      return stop();
    },
  };
}
