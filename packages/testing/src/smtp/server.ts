import type { Socket } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer, type SMTPServerSession } from "smtp-server";
import { emulatorBase, extendEmulator } from "../emulator/base.ts";
import { FaultState } from "../emulator/faults.ts";
import { DEFAULT_HOST } from "../emulator/host.ts";
import { listenOn } from "../emulator/listener.ts";
import { hangStage, type SmtpFailure, STAGES, smtpError, smtpFailure } from "./faults.ts";
import { headersOf, receivedMail } from "./mail.ts";
import type {
  ReceivedMail,
  SmtpClientOptions,
  SmtpEmulator,
  SmtpFailOptions,
  SmtpHangOptions,
  SmtpRequest,
  SmtpServerOptions,
  SmtpStage,
} from "./types.ts";

interface Transaction {
  record: SmtpRequest;
  /** The error every RCPT TO of this transaction gets, once one was failed. */
  rcptFailure?: Error;
}

function userOf(session: SMTPServerSession): string | undefined {
  return typeof session.user === "string" ? session.user : undefined;
}

function formatHost(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}

/**
 * Starts a real SMTP server (the `smtp-server` package) on loopback that parses every message it
 * accepts and offers the same fault injection as the HTTP emulators. STARTTLS is not offered, so point
 * nodemailer at it with {@link SmtpEmulator.clientOptions} or {@link SmtpEmulator.smtpUrl}.
 *
 * @example
 * ```ts
 * const smtp = await startSmtpServer();
 * const transport = nodemailer.createTransport(smtp.clientOptions);
 * await transport.sendMail({ from: "app@example.test", to: "alice@example.test", text: "Hi" });
 * smtp.messages[0].envelope.to; // ["alice@example.test"]
 * smtp.fail({ status: 451 });    // the next message gets "451 Injected failure" at the end of DATA
 * await smtp.close();
 * ```
 */
export async function startSmtpServer(options: SmtpServerOptions = {}): Promise<SmtpEmulator> {
  const host = options.host ?? DEFAULT_HOST;
  const credentials = options.auth;
  const requests: SmtpRequest[] = [];
  const messages: ReceivedMail[] = [];
  // The hang is the index in STAGES from which nothing is answered.
  const faults = new FaultState<SmtpFailure, number>();
  // By the client's port, to find a session's socket: smtp-server does not expose it.
  const socketsByPort = new Map<number, Socket>();
  const transactions = new Map<string, Transaction>();

  const hangs = (stage: SmtpStage, session: SMTPServerSession) => {
    if (faults.hang === undefined || STAGES.indexOf(stage) < faults.hang) return false;
    const socket = socketsByPort.get(session.remotePort);
    if (socket) faults.hold(socket);
    return true;
  };
  const takeFailure = (stage: SmtpStage): Error | undefined => {
    const failure = faults.take((failure) => failure.at === stage);
    return failure && smtpError(failure.status, failure.message);
  };
  const record = (
    session: SMTPServerSession,
    method: SmtpRequest["method"],
    user = userOf(session),
  ): SmtpRequest => {
    const request: SmtpRequest = {
      method,
      path: "",
      headers: {},
      body: "",
      receivedAt: Date.now(),
      envelope: { from: "", to: [] },
      user,
      sessionId: session.id,
      reply: undefined,
    };
    requests.push(request);
    return request;
  };
  const answer = (request: SmtpRequest, error: Error) => {
    request.reply = {
      code: (error as { responseCode?: number }).responseCode ?? 451,
      message: error.message,
    };
    return error;
  };

  const server = new SMTPServer({
    logger: false,
    // smtp-server's built-in certificate has expired: offering STARTTLS would break every client
    // that does not set ignoreTLS.
    disabledCommands: ["STARTTLS"],
    disableReverseLookup: true,
    authOptional: !credentials,
    allowInsecureAuth: true,
    closeTimeout: 100,

    onConnect(session, callback) {
      if (hangs("CONNECT", session)) {
        record(session, "CONNECT");
        return; // Never greeted: the client waits for its greeting timeout or its signal.
      }
      const error = takeFailure("CONNECT");
      if (error) return callback(answer(record(session, "CONNECT"), error));
      callback();
    },

    onAuth(auth, session, callback) {
      if (
        !credentials ||
        (auth.username === credentials.user && auth.password === credentials.pass)
      ) {
        return callback(null, { user: auth.username });
      }
      const request = record(session, "AUTH", auth.username);
      callback(answer(request, smtpError(535, "Authentication credentials invalid")));
    },

    onMailFrom(address, session, callback) {
      const request = record(session, "MAIL");
      request.envelope.from = address.address;
      transactions.set(session.id, { record: request });
      if (hangs("MAIL", session)) return;
      const error = takeFailure("MAIL");
      callback(error && answer(request, error));
    },

    onRcptTo(address, session, callback) {
      const transaction = transactions.get(session.id);
      const request = transaction?.record ?? record(session, "RCPT");
      request.method = "RCPT";
      request.envelope.to.push(address.address);
      if (hangs("RCPT", session)) return;
      if (transaction?.rcptFailure) return callback(transaction.rcptFailure);
      const error = takeFailure("RCPT");
      if (error && transaction) transaction.rcptFailure = error;
      callback(error && answer(request, error));
    },

    onData(stream, session, callback) {
      const request = transactions.get(session.id)?.record ?? record(session, "DATA");
      transactions.delete(session.id);
      request.method = "DATA";
      const hanging = hangs("DATA", session);
      const error = hanging ? undefined : takeFailure("DATA");
      // Read now, so that turning the delay off mid-message does not shorten this one.
      const lateBy = faults.delayMs;
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", async () => {
        const raw = Buffer.concat(chunks);
        request.body = raw.toString("utf8");
        let parsed: ParsedMail | undefined;
        try {
          parsed = await simpleParser(raw);
          request.headers = headersOf(parsed.headerLines);
        } catch {
          // An unparsable message is still recorded, raw; the client gets a failure below.
        }
        if (hanging) return;
        if (!error && parsed) messages.push(receivedMail(parsed, request));
        if (lateBy > 0) await faults.wait(lateBy);
        const failed =
          error ?? (parsed ? undefined : smtpError(554, "Message could not be parsed"));
        if (failed) return callback(answer(request, failed));
        request.reply = { code: 250, message: "OK: message queued" };
        callback(null, "OK: message queued");
      });
    },

    onClose(session) {
      transactions.delete(session.id);
    },
  });
  // Without a listener, a client that resets its connection would crash the host process.
  server.on("error", () => {});
  server.server.on("connection", (socket: Socket) => {
    const port = socket.remotePort;
    if (port !== undefined) socketsByPort.set(port, socket);
    socket.on("close", () => {
      faults.letGo(socket);
      if (port !== undefined && socketsByPort.get(port) === socket) socketsByPort.delete(port);
    });
  });

  const listener = await listenOn(server.server, host, options.port ?? 0);
  const { port } = listener;
  const url = `smtp://${formatHost(host)}:${port}`;
  const smtpUrl = credentials
    ? `smtp://${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.pass)}@${formatHost(host)}:${port}`
    : url;
  const clientOptions: SmtpClientOptions = { host, port, secure: false, ignoreTLS: true };
  if (credentials) clientOptions.auth = { ...credentials };

  const base = emulatorBase({
    url,
    listener,
    faults,
    requests,
    onReset: () => {
      messages.length = 0;
    },
    // Lets smtp-server clear its own close timer; no connection is left for it to wait for.
    onClose: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
  return extendEmulator(base, {
    smtpUrl,
    clientOptions,
    messages,
    fail(options: SmtpFailOptions = {}) {
      faults.fail(smtpFailure(options));
    },
    hang(options: SmtpHangOptions = {}) {
      faults.hang = hangStage(options);
    },
  });
}
