import type { Server, Socket } from "node:net";

/** A server listening on loopback, with every connection it accepted tracked so it can be cut. */
export interface Listener {
  /** The address it listens on. */
  readonly host: string;
  /** The port it listens on: the one picked the first time, kept across `stop()` and `resume()`. */
  readonly port: number;
  /** Listen again on the same port, if it stopped. */
  resume(): Promise<void>;
  /**
   * Cut every open connection and stop listening, releasing the port. Never hangs, whatever the
   * connections are doing.
   */
  stop(): Promise<void>;
}

/**
 * Starts `server` listening on `host` and `port` (0 picks a free one) and tracks its connections. The
 * emulators and the inbox server listen through it, so they all stop the same way.
 */
export async function listenOn(server: Server, host: string, port: number): Promise<Listener> {
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  const listen = (on: number) =>
    new Promise<number>((resolve, reject) => {
      server.once("error", reject);
      server.listen(on, host, () => {
        server.off("error", reject);
        const address = server.address();
        resolve(typeof address === "object" && address ? address.port : on);
      });
    });
  const bound = await listen(port);
  return {
    host,
    port: bound,
    async resume() {
      if (!server.listening) await listen(bound);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        sockets.clear();
        if (!server.listening) return resolve();
        server.close(() => resolve());
        // An HTTP server's parser tracks connections it accepted while we were destroying the others.
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
