import { createServer, type Server } from "node:http";
import { DEFAULT_HOST } from "./emulator/host.ts";
import { listenOn } from "./emulator/listener.ts";
import type { Emulators } from "./emulators.ts";

/** Options for {@link serveInbox}. */
export interface InboxServerOptions {
  /**
   * The address to listen on. Keep it on loopback: the inbox holds sign-in links.
   * @default "127.0.0.1"
   */
  host?: string;
  /**
   * The port; 0 picks a free one.
   * @default 0
   */
  port?: number;
}

/** A running inbox server. */
export interface InboxServer {
  /** The inbox's URL, such as `http://127.0.0.1:4000/_inbox`. */
  url: string;
  /** Stops the server, closing open connections. Never hangs. */
  close(): Promise<void>;
}

/**
 * Serves what the emulators received as JSON, as the `auth-recipes-emulators` bin does:
 * `GET /_inbox` returns `emulators.inbox()`, `DELETE /_inbox` calls `emulators.reset()`. A page such as
 * the example app's deliveries page reads it.
 */
export async function serveInbox(
  emulators: Emulators,
  options: InboxServerOptions = {},
): Promise<InboxServer> {
  // No CORS headers on purpose: the inbox holds sign-in links, and a page on another origin must not
  // read it from the developer's browser.
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
      res.end(JSON.stringify(body, null, 2));
    };
    if (path !== "/_inbox") return send(404, { error: "not found: try GET /_inbox" });
    if (req.method === "GET" || req.method === "HEAD") return send(200, emulators.inbox());
    if (req.method === "DELETE") {
      emulators.reset();
      return send(200, { reset: true });
    }
    res.setHeader("allow", "GET, HEAD, DELETE");
    return send(405, { error: "method not allowed" });
  });
  const listener = await listenOn(server, options.host ?? DEFAULT_HOST, options.port ?? 0);
  return {
    url: `http://${listener.host}:${listener.port}/_inbox`,
    close: () => listener.stop(),
  };
}
