import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { EMULATOR_DEFAULTS } from "./defaults.ts";
import { emulatorBase, extendEmulator } from "./emulator/base.ts";
import { FaultState } from "./emulator/faults.ts";
import { listenOn } from "./emulator/listener.ts";
import type {
  Emulator,
  EmulatorOptions,
  EmulatorResponse,
  FailOptions,
  RecordedRequest,
} from "./emulator/types.ts";

type HttpFailure = FailOptions & { times: number; status: number };

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
  const host = options.host ?? EMULATOR_DEFAULTS.host;
  const requests: RecordedRequest[] = [];
  const faults = new FaultState<HttpFailure>();

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
