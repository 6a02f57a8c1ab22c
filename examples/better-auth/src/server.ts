import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { toNodeHandler } from "better-auth/node";
import { type AuthOptions, createAuth } from "./auth.ts";

export interface Server {
  /** `http://127.0.0.1:PORT`; better-auth answers under `/api/auth/`. */
  url: string;
  close(): Promise<void>;
}

/** better-auth's handler on node:http, on 127.0.0.1. Port 0 picks a free one. */
export async function startServer(
  options: Omit<AuthOptions, "baseURL"> & { port: number },
): Promise<Server> {
  const server = createServer();
  await new Promise<void>((listening) => server.listen(options.port, "127.0.0.1", listening));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { auth, close } = await createAuth({ ...options, baseURL: url });
  const handler = toNodeHandler(auth);
  server.on("request", (request, response) => {
    if (request.url?.startsWith("/api/auth/")) return void handler(request, response);
    response
      .writeHead(404, { "content-type": "text/plain" })
      .end("better-auth answers under /api/auth/\n");
  });
  return {
    url,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((closed) => server.close(() => closed()));
      close();
    },
  };
}
