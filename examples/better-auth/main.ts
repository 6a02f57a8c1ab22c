// `pnpm demo:better-auth`: the four emulators, their inbox, and the better-auth server, in one process.
import { serveInbox, startEmulators } from "@auth-recipes/testing";
import { dispatchLine, watchDeliveries } from "./src/log.ts";
import { recipesFor } from "./src/recipes.ts";
import { startServer } from "./src/server.ts";

const port = Number(process.env.PORT ?? 3100);
const emulators = await startEmulators();
const inbox = await serveInbox(emulators);
const server = await startServer({
  port,
  recipes: recipesFor(emulators),
  databasePath: process.env.DATABASE_PATH ?? ":memory:",
  onSettled: (report) => console.log(dispatchLine(report)),
});

const origin = `-H 'origin: ${server.url}' -H 'content-type: application/json'`;
console.log(`better-auth on ${server.url}/api/auth/ (SQLite: ${process.env.DATABASE_PATH ?? "in memory"})
What the services received: ${inbox.url}

Sign up (a welcome email, a Slack post, a Stripe customer, Segment's Signed Up and Signed In):
  curl -c jar ${origin} ${server.url}/api/auth/sign-up/email \\
    -d '{"email":"alice@example.test","password":"correct horse battery","name":"Alice"}'
Sign out (Segment's Signed Out):
  curl -b jar ${origin} -X POST ${server.url}/api/auth/sign-out
Then: curl ${inbox.url}

Each event prints one line ([auth-recipes]), and each delivery an emulator receives one ([delivered]).
Stop with Ctrl-C.`);
watchDeliveries(emulators, (line) => console.log(line));

const stop = async () => {
  await server.close();
  await inbox.close();
  await emulators.close();
  process.exit(0);
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
