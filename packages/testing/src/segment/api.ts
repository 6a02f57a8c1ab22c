import { prefixed } from "@auth-recipes/core/kit";
import { extendEmulator } from "../emulator/base.ts";
import type {
  Emulator,
  EmulatorOptions,
  EmulatorResponse,
  RecordedRequest,
} from "../emulator/types.ts";
import { startHttpEmulator } from "../http-emulator.ts";
import { segmentDefaults } from "./defaults.ts";

/** Options for {@link startSegmentApi}. */
export interface SegmentApiOptions extends EmulatorOptions {
  /**
   * The one write key the emulator accepts, as HTTP Basic auth (`<writeKey>:` as the user name, as the
   * SDK sends it) or, without an `Authorization` header, as the body's `writeKey` field.
   * @default "emulated-segment-write-key"
   */
  writeKey?: string;
}

/** The call types Segment's tracking API knows. */
export type SegmentMessageType = "identify" | "track" | "page" | "screen" | "group" | "alias";

/** One message (a call such as `identify` or `track`) as the emulator accepted it, parsed from JSON. */
export interface SegmentMessage {
  type: SegmentMessageType;
  /** Segment deduplicates on it: two messages with one id count once. */
  messageId?: string;
  userId?: string;
  anonymousId?: string;
  /** The event name of a `track` call. */
  event?: string;
  /** The traits of an `identify` or `group` call. */
  traits?: Record<string, unknown>;
  /** The properties of a `track`, `page` or `screen` call. */
  properties?: Record<string, unknown>;
  timestamp?: string;
  context?: Record<string, unknown>;
  integrations?: Record<string, unknown>;
  /** Anything else the message carried. */
  [field: string]: unknown;
}

/** One `POST /v1/batch` the emulator accepted. */
export interface SegmentBatch {
  /** The batch's messages, in order. */
  messages: SegmentMessage[];
  /** The `sentAt` the client stamped on the batch. */
  sentAt: string | undefined;
  /** The `X-Retry-Count` header: 0 on a first attempt, n on the SDK's nth retry. */
  retryCount: number;
  /** When the batch arrived, in ms since the epoch. */
  receivedAt: number;
}

/** What `@segment/analytics-node` needs to talk to the emulator: `new Analytics({ writeKey, ...clientOptions })`. */
export interface SegmentClientOptions {
  /** The emulator's base URL, such as `http://127.0.0.1:54321`. */
  host: string;
  /** Always `"/v1/batch"`. */
  path: string;
}

/** What {@link startSegmentApi} returns: Segment's tracking API (`POST /v1/batch`) on 127.0.0.1. */
export interface SegmentEmulator extends Emulator {
  /** The write key the emulator accepts. */
  writeKey: string;
  /** Points `@segment/analytics-node` at the emulator: `{ host: url, path: "/v1/batch" }`. */
  clientOptions: SegmentClientOptions;
  /** Every batch accepted, in order. Refused batches are only in `requests`. */
  batches: SegmentBatch[];
  /** Every message accepted, flattened from `batches`, duplicates included. */
  messages: SegmentMessage[];
  /**
   * The messages as Segment counts them: the first of each `messageId` (a message without one counts
   * by itself), in order. A retried delivery that reached the emulator twice appears once here.
   */
  uniqueMessages(): SegmentMessage[];
  /** How many accepted messages repeat an earlier `messageId`: `messages.length - uniqueMessages().length`. */
  readonly duplicates: number;
}

const PATH = "/v1/batch";
const TYPES: ReadonlySet<string> = new Set([
  "identify",
  "track",
  "page",
  "screen",
  "group",
  "alias",
]);
// Segment's documented limits: 32 KB per message, 500 KB per batch request.
const MAX_MESSAGE_BYTES = 32 * 1024;
const MAX_BATCH_BYTES = 500 * 1024;

function refuse(status: number, message: string): EmulatorResponse {
  return { status, body: { success: false, message } };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isId(value: unknown): boolean {
  return (typeof value === "string" && value.length > 0) || typeof value === "number";
}

/** Why Segment would refuse this message, or undefined when it is valid. */
function invalidity(message: unknown, index: number): string | undefined {
  const where = `batch[${index}]`;
  if (!isObject(message)) return `${where} is not an object`;
  if (typeof message.type !== "string" || !TYPES.has(message.type)) {
    return `${where} has an unknown type ${JSON.stringify(message.type)}`;
  }
  if (!isId(message.userId) && !isId(message.anonymousId)) {
    return `${where} needs a userId or an anonymousId`;
  }
  if (message.type === "track" && (typeof message.event !== "string" || !message.event)) {
    return `${where} is a track call without an event name`;
  }
  if (message.type === "group" && !isId(message.groupId)) return `${where} needs a groupId`;
  if (message.type === "alias" && !isId(message.previousId)) return `${where} needs a previousId`;
  for (const field of ["traits", "properties", "context", "integrations"]) {
    if (message[field] !== undefined && !isObject(message[field])) {
      return `${where}.${field} must be an object`;
    }
  }
  if (Buffer.byteLength(JSON.stringify(message)) > MAX_MESSAGE_BYTES) {
    return `${where} is larger than 32 KB`;
  }
  return undefined;
}

/** The write key an `Authorization: Basic` header presents (the user name; the password is empty). */
function basicKey(header: string): string | undefined {
  const basic = /^Basic\s+(\S+)$/i.exec(header)?.[1];
  if (!basic) return undefined;
  const decoded = Buffer.from(basic, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon === -1 ? decoded : decoded.slice(0, colon);
}

/**
 * Starts an emulator of Segment's tracking API on 127.0.0.1: `POST /v1/batch`, as
 * `@segment/analytics-node` sends it. The write key is checked (401 otherwise); every message is
 * validated as Segment does (a known type, a `userId` or `anonymousId`, an `event` for `track`, a
 * `groupId` for `group`, a `previousId` for `alias`, at most 32 KB) and one invalid message refuses the
 * whole batch with 400. Accepted batches are recorded whole (`batches`) and flattened (`messages`);
 * `uniqueMessages()` and `duplicates` show what Segment's `messageId` deduplication would count.
 *
 * @example
 * ```ts
 * const segment = await startSegmentApi();
 * const analytics = new Analytics({ writeKey: segment.writeKey, ...segment.clientOptions, flushAt: 1 });
 * analytics.track({ userId: "u1", event: "Signed In" });
 * await analytics.closeAndFlush();
 * segment.messages[0]?.event; // "Signed In"
 * ```
 */
export async function startSegmentApi(options: SegmentApiOptions = {}): Promise<SegmentEmulator> {
  const writeKey = options.writeKey ?? segmentDefaults.credentials.segmentWriteKey;
  if (!writeKey) throw new TypeError(prefixed("testing", 'option "writeKey" must not be empty'));
  const batches: SegmentBatch[] = [];
  const messages: SegmentMessage[] = [];

  const handle = (request: RecordedRequest): EmulatorResponse => {
    const { pathname } = new URL(request.path, "http://emulator");
    if (pathname !== PATH) return refuse(404, `no route for ${pathname}`);
    if (request.method !== "POST") {
      return { ...refuse(405, "use POST"), headers: { allow: "POST" } };
    }
    // Authentication comes before validation: a wrong key learns nothing about its batch.
    const header = request.headers.authorization;
    if (header !== undefined && basicKey(header) !== writeKey) {
      return refuse(401, "invalid write key");
    }
    if (Buffer.byteLength(request.body) > MAX_BATCH_BYTES) {
      return refuse(400, "the batch is larger than 500 KB");
    }
    let body: unknown;
    try {
      body = JSON.parse(request.body);
    } catch {
      return refuse(400, "the body is not valid JSON");
    }
    if (!isObject(body)) return refuse(400, "the body must be a JSON object");
    // Without a header, Segment reads the key from the body.
    if (header === undefined && body.writeKey !== writeKey) return refuse(401, "invalid write key");
    if (!Array.isArray(body.batch)) return refuse(400, '"batch" must be an array of messages');
    for (const [index, message] of body.batch.entries()) {
      const reason = invalidity(message, index);
      if (reason) return refuse(400, reason);
    }
    const accepted = body.batch as SegmentMessage[];
    batches.push({
      messages: accepted,
      sentAt: typeof body.sentAt === "string" ? body.sentAt : undefined,
      retryCount: Number(request.headers["x-retry-count"] ?? 0) || 0,
      receivedAt: request.receivedAt,
    });
    messages.push(...accepted);
    return { status: 200, body: { success: true } };
  };

  const emulator = await startHttpEmulator(options, handle, () => {
    batches.length = 0;
    messages.length = 0;
  });
  const uniqueMessages = (): SegmentMessage[] => {
    const seen = new Set<string>();
    return messages.filter((message) => {
      if (typeof message.messageId !== "string") return true;
      if (seen.has(message.messageId)) return false;
      seen.add(message.messageId);
      return true;
    });
  };
  return extendEmulator(emulator, {
    writeKey,
    clientOptions: { host: emulator.url, path: PATH },
    batches,
    messages,
    uniqueMessages,
    get duplicates() {
      return messages.length - uniqueMessages().length;
    },
  });
}
