import { prefixed } from "@auth-recipes/core/kit";
import { extendEmulator } from "../emulator/base.ts";
import type { EmulatorResponse, RecordedRequest } from "../emulator/types.ts";
import { startHttpEmulator } from "../http-emulator.ts";
import { posthogDefaults } from "./defaults.ts";
import type { PostHogApiOptions, PostHogBatch, PostHogEmulator, PostHogEvent } from "./types.ts";

// posthog-node posts every batch, immediate calls included, to `<host>/batch/`; PostHog also takes it
// without the trailing slash.
const PATHS: ReadonlySet<string> = new Set(["/batch/", "/batch"]);
// PostHog's capture endpoint refuses bodies over 20 MB and events over 1 MB.
const MAX_BATCH_BYTES = 20 * 1024 * 1024;
const MAX_EVENT_BYTES = 1024 * 1024;

function refuse(status: number, type: string, code: string, detail: string): EmulatorResponse {
  return { status, body: { type, code, detail, attr: null } };
}

const invalidKey = () =>
  refuse(
    401,
    "authentication_error",
    "invalid_project_key",
    "Project API key invalid. You can find your project API key in PostHog project settings.",
  );

function invalid(detail: string): EmulatorResponse {
  return refuse(400, "validation_error", "invalid_payload", detail);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Why PostHog would refuse this event, or undefined when it is valid. */
function invalidity(event: unknown, index: number): string | undefined {
  const where = `batch[${index}]`;
  if (!isObject(event)) return `${where} is not an object`;
  if (typeof event.event !== "string" || !event.event) return `${where} has no event name`;
  const id = event.distinct_id;
  if (!(typeof id === "string" && id.trim()) && typeof id !== "number") {
    return `${where} has no distinct_id`;
  }
  if (event.properties !== undefined && !isObject(event.properties)) {
    return `${where}.properties must be an object`;
  }
  if (Buffer.byteLength(JSON.stringify(event)) > MAX_EVENT_BYTES) return `${where} is over 1 MB`;
  return undefined;
}

/**
 * Starts an emulator of PostHog's capture API on 127.0.0.1: `POST /batch/`, as `posthog-node` sends it
 * (batched calls and `captureImmediate`/`identifyImmediate` alike), gzipped or not. The project API key
 * is read from the body's `api_key` (401 otherwise); every event needs a name and a `distinct_id`, and
 * one invalid event refuses the whole batch with 400, with PostHog's error shape. A valid batch is
 * answered `{ "status": 1 }`. Accepted batches are recorded whole (`batches`) and flattened (`events`);
 * `uniqueEvents()` and `duplicates` count by `uuid`, as PostHog's deduplication would when it works.
 * Besides the shared faults (`fail` with 5xx or 429, `delay`, `hang`, `down`), `dropAfterStoring()`
 * keeps a batch and cuts its connection, and `hangNext()` holds one request among prompt ones.
 *
 * @example
 * ```ts
 * const posthog = await startPostHogApi();
 * const client = new PostHog(posthog.apiKey, { ...posthog.clientOptions, fetchRetryCount: 0 });
 * await client.captureImmediate({ distinctId: "u1", event: "user signed in" });
 * posthog.events[0]?.event; // "user signed in"
 * ```
 */
export async function startPostHogApi(options: PostHogApiOptions = {}): Promise<PostHogEmulator> {
  const apiKey = options.apiKey ?? posthogDefaults.credentials.posthogApiKey;
  if (!apiKey) throw new TypeError(prefixed("testing", 'option "apiKey" must not be empty'));
  const batches: PostHogBatch[] = [];
  const events: PostHogEvent[] = [];
  let drops = 0;
  let hangs = 0;
  const hung = new Set<() => void>();
  const release = () => {
    for (const letGo of [...hung]) letGo();
    hung.clear();
  };

  const handle = (request: RecordedRequest): EmulatorResponse | Promise<EmulatorResponse> => {
    const { pathname } = new URL(request.path, "http://emulator");
    if (!PATHS.has(pathname)) return refuse(404, "invalid_request", "not_found", "Not found.");
    if (request.method !== "POST") {
      return {
        ...refuse(405, "invalid_request", "method_not_allowed", "Use POST."),
        headers: { allow: "POST" },
      };
    }
    if (hangs > 0) {
      hangs--;
      return new Promise<EmulatorResponse>((resolve) => {
        const letGo = () => {
          hung.delete(letGo);
          resolve({ status: 503, drop: true });
        };
        hung.add(letGo);
      });
    }
    if (Buffer.byteLength(request.body) > MAX_BATCH_BYTES)
      return invalid("The body is over 20 MB.");
    let body: unknown;
    try {
      body = JSON.parse(request.body);
    } catch {
      return invalid("Malformed request data: the body is not valid JSON (or gzip).");
    }
    if (!isObject(body)) return invalid("The body must be a JSON object.");
    // Authentication comes before validation: a wrong key learns nothing about its batch.
    if (typeof body.api_key !== "string" || body.api_key !== apiKey) return invalidKey();
    if (!Array.isArray(body.batch)) return invalid('"batch" must be an array of events.');
    for (const [index, event] of body.batch.entries()) {
      const reason = invalidity(event, index);
      if (reason) return invalid(reason);
    }
    const accepted = body.batch as PostHogEvent[];
    batches.push({
      events: accepted,
      sentAt: typeof body.sent_at === "string" ? body.sent_at : undefined,
      gzip: request.headers["content-encoding"] === "gzip",
      receivedAt: request.receivedAt,
    });
    events.push(...accepted);
    if (drops > 0) {
      drops--;
      return { status: 200, drop: true };
    }
    return { status: 200, body: { status: 1 } };
  };

  const emulator = await startHttpEmulator(options, handle, () => {
    batches.length = 0;
    events.length = 0;
    drops = 0;
    hangs = 0;
    release();
  });
  const close = emulator.close;
  const uniqueEvents = (): PostHogEvent[] => {
    const seen = new Set<string>();
    return events.filter((event) => {
      if (typeof event.uuid !== "string") return true;
      if (seen.has(event.uuid)) return false;
      seen.add(event.uuid);
      return true;
    });
  };
  const count = (times: number, what: string) => {
    if (!(times >= 0)) throw new RangeError(prefixed("testing", `${what}: "times" must be ≥ 0`));
    return times;
  };
  return extendEmulator(emulator, {
    apiKey,
    clientOptions: { host: emulator.url },
    batches,
    events,
    uniqueEvents,
    get duplicates() {
      return events.length - uniqueEvents().length;
    },
    dropAfterStoring(times = 1) {
      drops = count(times, "dropAfterStoring()");
    },
    hangNext(times = 1) {
      hangs = count(times, "hangNext()");
    },
    async close() {
      hangs = 0;
      release();
      await close();
    },
  });
}
