// server.ts: better-auth's handler on node:http, under /api/auth/.
import { createServer } from "node:http";
import { getMigrations } from "better-auth/db/migration";
import { toNodeHandler } from "better-auth/node";
import { auth } from "./auth";

// Creates better-auth's tables (user, session, account, verification) when they are missing.
await (await getMigrations(auth.options)).runMigrations();

const handler = toNodeHandler(auth);
const port = Number(process.env.PORT ?? 3000);
createServer((request, response) => {
  if (request.url?.startsWith("/api/auth/")) return void handler(request, response);
  response.writeHead(404).end("better-auth answers under /api/auth/\n");
}).listen(port, "127.0.0.1", () => console.log(`listening on http://127.0.0.1:${port}`));
