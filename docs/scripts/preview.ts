// `npm run docs:preview`: serves the built site (docs/.vitepress/dist, from `npm run docs:build`) on
// 127.0.0.1 only, as the browser test does; `vitepress preview` would listen on every interface.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { serveStatic } from "../test/static-server.ts";

const root = fileURLToPath(new URL("../.vitepress/dist/", import.meta.url));
if (!existsSync(`${root}index.html`)) {
  console.error("No built site in docs/.vitepress/dist: run `npm run docs:build` first.");
  process.exit(1);
}
const port = Number(process.env.PORT ?? 4173);
const server = await serveStatic(root, port);
console.log(`The docs are served on ${server.origin}/ (Ctrl-C stops).`);
// Ctrl-C (or a process manager's SIGTERM) is how it is meant to stop: a clean exit, so that the npm
// script above it reports no failure.
const stop = () => void server.close().finally(() => process.exit(0));
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
