// The welcome-email README installs nodemailer 7 next to next-auth (its Email provider's optional peer,
// v4 and v5). nodemailer 7 ignores the AbortSignal the recipe passes to sendMail: core's timeout settles
// the handler, but the SMTP connection stays open until nodemailer's own timeouts (30 s for the greeting,
// 10 minutes idle, by default). The README's fix gives nodemailer its timeouts, in the SMTP URL (one line,
// passed here as README_SMTP_QUERY, read from the README) or on a transport made with createTransport.
// Both forms run, as the README prints them, against SMTP servers that accept the connection and never
// greet; each server checks that the client hung up within the greeting timeout.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { composeEvents } from "@auth-recipes/core";
import { welcomeEmail } from "@auth-recipes/welcome-email";
import nodemailer from "nodemailer";

const version = createRequire(import.meta.url)("nodemailer/package.json").version;
assert.equal(
  version.split(".")[0],
  "7",
  `the README's install line gave nodemailer ${version}; this check is about 7`,
);
const query = process.env.README_SMTP_QUERY;
assert.ok(query?.includes("greetingTimeout="), "README_SMTP_QUERY holds the README's timeouts");

/** An SMTP server that never says 220: the exchange hangs at the greeting. */
async function silentServer() {
  const connections = [];
  const server = createServer((socket) => {
    const connection = { openedAt: Date.now(), closedAt: undefined };
    connections.push(connection);
    socket.on("error", () => {});
    socket.on("close", () => {
      connection.closedAt = Date.now();
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, connections, port: server.address().port };
}

async function signUpAgainst(form, transport, { connections }) {
  const errors = [];
  const events = composeEvents([welcomeEmail({ transport, from: "Acme <hello@acme.test>" })], {
    timeoutMs: 1_000,
    onError: (error) => errors.push(error),
  });
  const started = Date.now();
  await events.createUser({ user: { id: "u1", name: "Alice", email: "alice@example.test" } });
  const settledMs = Date.now() - started;
  assert.ok(settledMs < 2_000, `${form}: the sign-up waited ${settledMs} ms, past the 1 s timeout`);
  assert.equal(errors.length, 1, `${form}: the timeout is reported once`);
  assert.equal(connections.length, 1, `${form}: one SMTP connection was made`);
  const openAtSettle = connections[0].closedAt === undefined;
  // The greeting timeout (5 s) from the connection, plus a margin for a loaded machine.
  const deadline = connections[0].openedAt + 8_000;
  while (connections[0].closedAt === undefined && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.ok(
    connections[0].closedAt !== undefined,
    `${form}: the client still holds the connection 8 s later`,
  );
  return {
    form,
    settledMs,
    openAtSettle,
    connectionHeldMs: connections[0].closedAt - connections[0].openedAt,
  };
}

const url = await silentServer();
const made = await silentServer();
try {
  const forms = await Promise.all([
    // The README's Usage passes EMAIL_SERVER as it is; the fix is in the URL.
    signUpAgainst("SMTP URL", `smtp://127.0.0.1:${url.port}?${query}&ignoreTLS=true`, url),
    signUpAgainst(
      "createTransport",
      nodemailer.createTransport({
        host: "127.0.0.1",
        port: made.port,
        secure: false,
        ignoreTLS: true,
        // As the README prints them.
        connectionTimeout: 5_000,
        greetingTimeout: 5_000,
        socketTimeout: 10_000,
      }),
      made,
    ),
  ]);
  console.log(JSON.stringify({ nodemailer: version, forms }));
} finally {
  url.server.close();
  made.server.close();
}
