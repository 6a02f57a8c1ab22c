import type { IncomingHttpHeaders } from "node:http";

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
  /**
   * Cut the connection instead of answering: the service had its effect and the client never hears of
   * it (the "answer lost" case that idempotency keys exist for).
   */
  drop?: boolean;
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
