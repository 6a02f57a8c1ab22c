import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { gunzipSync } from "node:zlib";
import { emulatorBase, extendEmulator } from "./emulator/base.ts";
import { FaultState } from "./emulator/faults.ts";
import { DEFAULT_HOST } from "./emulator/host.ts";
import { listenOn } from "./emulator/listener.ts";
import type {
  Emulator,
  EmulatorOptions,
  EmulatorResponse,
  FailOptions,
  RecordedRequest,
} from "./emulator/types.ts";

type HttpFailure = FailOptions & { times: number; status: number };

// A gzipped body (posthog-node compresses its batches) is recorded as the text it carries; a body that
// does not inflate, or inflates past this bound, is recorded as empty, which every handler refuses.
const MAX_INFLATED_BYTES = 16 * 1024 * 1024;

function decoded(raw: Buffer, encoding: string | undefined): string {
  if (encoding?.trim().toLowerCase() !== "gzip") return raw.toString("utf8");
  try {
    return gunzipSync(raw, { maxOutputLength: MAX_INFLATED_BYTES }).toString("utf8");
  } catch {
    return "";
  }
}

function isStream(body: unknown): body is AsyncIterable<Uint8Array | string> {
  return typeof body === "object" && body !== null && Symbol.asyncIterator in body;
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
  const host = options.host ?? DEFAULT_HOST;
  const requests: RecordedRequest[] = [];
  const faults = new FaultState<HttpFailure>();

  const respond = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request: RecordedRequest = {
      method: req.method ?? "GET",
      path: req.url ?? "/",
      headers: req.headers,
      body: decoded(Buffer.concat(chunks), req.headers["content-encoding"]),
      receivedAt: Date.now(),
    };
    requests.push(request);
    if (faults.hang) {
      // Held open until reset(), down() or close() destroys the connection.
      faults.hold(res);
      res.on("close", () => faults.letGo(res));
      return;
    }
    // Read before handling, so that turning the delay off mid-request does not shorten this one.
    const lateBy = faults.delayMs;
    const failure = faults.take();
    let response: EmulatorResponse;
    if (failure) {
      response = {
        status: failure.status,
        body: failure.body ?? { error: { message: "injected failure" } },
        headers: failure.headers,
      };
    } else {
      try {
        response = await handle(request);
      } catch (error) {
        response = { status: 500, body: { error: { message: String(error) } } };
      }
    }
    if (lateBy > 0) await faults.wait(lateBy);
    if (res.destroyed) return;
    if (response.drop) {
      res.destroy();
      return;
    }
    if (isStream(response.body)) {
      res.writeHead(response.status, {
        "content-type": "application/octet-stream",
        ...response.headers,
      });
      // A client that stops reading or goes away ends the stream: nothing to report.
      await pipeline(Readable.from(response.body), res).catch(() => res.destroy());
      return;
    }
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
  // A client that resets its connection must not crash the process that hosts the emulator.
  server.on("clientError", (_error, socket) => socket.destroy());

  const listener = await listenOn(server, host, options.port ?? 0);
  const base = emulatorBase({
    url: `http://${host}:${listener.port}`,
    listener,
    faults,
    requests,
    onReset,
  });
  return extendEmulator(base, {
    fail(fail: FailOptions = {}) {
      faults.fail({ ...fail, times: fail.times ?? 1, status: fail.status ?? 500 });
    },
    hang() {
      faults.hang = true;
    },
  });
}
