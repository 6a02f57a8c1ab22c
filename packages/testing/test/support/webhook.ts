// A small reference recipe and its service, for the conformance suite's own tests: a "webhook" recipe
// that POSTs JSON about auth events to an endpoint, and the endpoint, built on startHttpEmulator. Each
// flaw turns on one mistake a real recipe could make, so that each check can be shown to catch one.
import { type EventName, type HandlerContext, type Recipe, skip } from "@auth-recipes/core";
import { UpstreamError } from "@auth-recipes/core/kit";
import { type Emulator, startHttpEmulator } from "../../src/index.ts";

export interface Delivery {
  /** The Idempotency-Key header, if any. */
  key: string | undefined;
  body: Record<string, unknown>;
}

export interface WebhookEmulator extends Emulator {
  /** The bearer token the endpoint accepts. */
  token: string;
  /** The endpoint's URL. */
  hookUrl: string;
  /** Accepted deliveries; a repeated Idempotency-Key is answered again, not delivered twice. */
  deliveries: Delivery[];
}

export async function startWebhookEmulator(): Promise<WebhookEmulator> {
  const token = "whsec_reference_secret_token";
  const deliveries: Delivery[] = [];
  const answered = new Map<string, { status: number; body: unknown }>();
  const emulator = await startHttpEmulator(
    {},
    (request) => {
      if (!request.path.startsWith("/hooks")) return { status: 404, body: { error: "not found" } };
      if (request.method !== "POST") return { status: 405, body: { error: "method not allowed" } };
      if (request.headers.authorization !== `Bearer ${token}`) {
        return { status: 401, body: { error: "invalid token" } };
      }
      const key = request.headers["idempotency-key"] as string | undefined;
      const previous = key && answered.get(key);
      if (previous) return previous;
      let body: unknown;
      try {
        body = JSON.parse(request.body);
      } catch {
        return { status: 400, body: { error: "invalid JSON" } };
      }
      if (typeof body !== "object" || body === null)
        return { status: 400, body: { error: "not an object" } };
      deliveries.push({ key, body: body as Record<string, unknown> });
      const response = { status: 200, body: { id: `dlv_${deliveries.length}` } };
      if (key) answered.set(key, response);
      return response;
    },
    () => {
      deliveries.length = 0;
      answered.clear();
    },
  );
  return Object.assign(emulator, { token, hookUrl: `${emulator.url}/hooks`, deliveries });
}

/** The fields a delivery may have: anything else was injected. */
export const DELIVERY_FIELDS: readonly string[] = [
  "event",
  "userId",
  "name",
  "email",
  "provider",
  "isNewUser",
];

export interface WebhookOptions {
  url: string;
  token: string;
  /** @default ["createUser", "signIn"] */
  events?: EventName[];
}

export interface Flaws {
  name?: string;
  timeoutMs?: number;
  unknownEvent?: boolean;
  handlerNotAFunction?: boolean;
  noValidation?: boolean;
  plainErrorForMissingOption?: boolean;
  unnamedMissingOption?: boolean;
  neverDelivers?: boolean;
  ignoresSignal?: boolean;
  swallowsErrors?: boolean;
  strayPromise?: boolean;
  crashesOnNoName?: boolean;
  hangsOnMarkup?: boolean;
  concatenatesJson?: boolean;
  leaksToken?: boolean;
  leaksEmail?: boolean;
  /** Its error's message is clean, but a field that loggers print holds the user's email address. */
  printsEmail?: boolean;
  keyPerAttempt?: boolean;
  /**
   * Not a flaw: where failed calls wait. When given, a call that failed in a way that may pass is kept
   * there and sent again (same key) before the next delivery, by any recipe built with these flaws, as
   * a recipe that must lose nothing does (Segment's keeps them on its client).
   */
  keepsFailedCalls?: RequestInit[];
}

class WebhookError extends Error {
  override name = "WebhookError";
  declare status?: number;
  declare retryable: boolean;
  constructor(message: string, fields: { status?: number; retryable: boolean; cause?: unknown }) {
    super(message, { cause: fields.cause });
    Object.assign(this, { status: fields.status, retryable: fields.retryable });
  }
}

type User = { id?: string; name?: string | null; email?: string | null };

export function webhook(options: WebhookOptions, flaws: Flaws = {}): Recipe {
  const { url, token } = options ?? ({} as WebhookOptions);
  if (!flaws.noValidation) {
    for (const key of ["url", "token"] as const) {
      if (typeof options?.[key] !== "string" || !options[key]) {
        if (flaws.plainErrorForMissingOption)
          throw new Error(`[auth-recipes/webhook] option "${key}" is required`);
        if (flaws.unnamedMissingOption)
          throw new TypeError("[auth-recipes/webhook] an option is missing");
        throw new TypeError(`[auth-recipes/webhook] option "${key}" is required`);
      }
    }
  }

  const post = async (payload: Record<string, unknown>, user: User, context: HandlerContext) => {
    if (flaws.neverDelivers) return;
    if (flaws.hangsOnMarkup && /[<>]/.test(String(user.name))) {
      // Stuck, but honest about it: it stops when its signal aborts.
      await new Promise((_, reject) =>
        context.signal.addEventListener("abort", () => reject(context.signal.reason)),
      );
    }
    const body = flaws.concatenatesJson
      ? `{${Object.entries(payload)
          .map(([k, v]) => `"${k}":${typeof v === "string" ? `"${v}"` : JSON.stringify(v)}`)
          .join(",")}}`
      : JSON.stringify(payload);
    const key = flaws.keyPerAttempt
      ? `${context.dispatchId}:${context.event}:${context.attempt}`
      : `${context.dispatchId}:${context.event}`;
    const headers = {
      "content-type": "application/json",
      authorization: `Bearer ${token}`,
      "idempotency-key": key,
    };
    if (flaws.strayPromise) {
      // A "best effort" ping nobody awaits: its rejection is unhandled.
      fetch(`${url}/ping`, { method: "POST", headers, body: "{}" }).then((response) => {
        if (!response.ok) throw new Error(`ping answered ${response.status}`);
      });
    }
    const call: RequestInit = { method: "POST", headers, body };
    const kept = flaws.keepsFailedCalls;
    const keep = () => kept?.push(call);
    if (kept?.length) {
      await Promise.all(
        kept.splice(0).map((earlier) =>
          fetch(url, { ...earlier, signal: context.signal })
            .then(async (answer) => {
              await answer.arrayBuffer();
              if (answer.status >= 500) kept.push(earlier);
            })
            .catch(() => kept.push(earlier)),
        ),
      );
    }
    let response: Response;
    try {
      response = await fetch(url, {
        ...call,
        ...(flaws.ignoresSignal ? {} : { signal: context.signal }),
      });
      await response.arrayBuffer();
    } catch (error) {
      keep();
      if (flaws.swallowsErrors) return;
      // A timeout: core's own TimeoutError, which it reports as such.
      if (context.signal.aborted) throw context.signal.reason;
      const code = (error as { cause?: { code?: string } }).cause?.code ?? "network error";
      throw new WebhookError(`request failed (${code})`, { retryable: true, cause: error });
    }
    if (!response.ok && !flaws.swallowsErrors) {
      const status = response.status;
      if (status >= 500) keep();
      let message = `the endpoint answered ${status}`;
      if (flaws.leaksToken) message += ` for token ${token}`;
      if (flaws.leaksEmail) message += ` while notifying ${user.email}`;
      if (flaws.printsEmail) {
        const error = new UpstreamError("webhook-test", message, { status, retryable: false });
        throw Object.assign(error, { recipient: user.email });
      }
      throw new WebhookError(message, {
        status,
        retryable: status === 408 || status === 429 || status >= 500,
      });
    }
  };

  const handlers: Record<string, unknown> = {
    createUser: ({ user }: { user: User }, context: HandlerContext) => {
      if (!user.id) return skip("no user id");
      const name = flaws.crashesOnNoName ? user.name!.trim() : (user.name ?? null);
      return post(
        { event: "createUser", userId: user.id, name, email: user.email ?? null },
        user,
        context,
      );
    },
    signIn: (
      {
        user,
        account,
        isNewUser,
      }: { user: User; account?: { provider: string } | null; isNewUser?: boolean },
      context: HandlerContext,
    ) => {
      if (!user.id) return skip("no user id");
      return post(
        {
          event: "signIn",
          userId: user.id,
          provider: account?.provider ?? null,
          isNewUser: isNewUser ?? null,
        },
        user,
        context,
      );
    },
    updateUser: ({ user }: { user: User }, context: HandlerContext) => {
      if (!user.id) return skip("no user id");
      return post(
        { event: "updateUser", userId: user.id, email: user.email ?? null },
        user,
        context,
      );
    },
  };
  const events: Record<string, unknown> = {};
  for (const event of options?.events ?? ["createUser", "signIn"]) events[event] = handlers[event];
  if (flaws.unknownEvent) events.createdUser = handlers.createUser;
  if (flaws.handlerNotAFunction) events.signIn = "yes";
  const recipe: Recipe = { name: flaws.name ?? "webhook", events: events as Recipe["events"] };
  if (flaws.timeoutMs) recipe.timeoutMs = flaws.timeoutMs;
  return recipe;
}
