import type { RecipeTestConfig } from "../../src/index.ts";
import { TOKEN_MARKERS } from "../../src/index.ts";
import {
  DELIVERY_FIELDS,
  type Flaws,
  startWebhookEmulator,
  type WebhookEmulator,
  type WebhookOptions,
  webhook,
} from "./webhook.ts";

/** The conformance config of the reference webhook recipe, with the given flaws. */
export function webhookConfig(
  flaws: Flaws = {},
  overrides: Partial<RecipeTestConfig<WebhookEmulator, WebhookOptions>> = {},
): RecipeTestConfig<WebhookEmulator, WebhookOptions> {
  return {
    name: "webhook",
    start: startWebhookEmulator,
    factory: (options) => webhook(options, flaws),
    options: (hooks) => ({ url: hooks.hookUrl, token: hooks.token }),
    required: ["url", "token"],
    delivered: (hooks, { event, user }) => {
      const found = hooks.deliveries.filter(
        (delivery) => delivery.body.event === event && delivery.body.userId === user.id,
      );
      if (found.length !== 1)
        throw new Error(`${found.length} deliveries of ${event} for ${user.id}`);
      if (event === "createUser" && found[0]?.body.email !== user.email) {
        throw new Error("the delivery lacks the user's email");
      }
      const raw = JSON.stringify(hooks.requests);
      const marker = TOKEN_MARKERS.find((m) => raw.includes(m));
      if (marker) throw new Error(`an OAuth token reached the endpoint (${marker})`);
    },
    injected: (hooks) => {
      for (const request of hooks.requests) {
        if (!request.path.startsWith("/hooks")) continue;
        let body: unknown;
        try {
          body = JSON.parse(request.body);
        } catch {
          return `a body that is not JSON: ${request.body.slice(0, 80)}`;
        }
        const extra = Object.keys(body as object).filter((key) => !DELIVERY_FIELDS.includes(key));
        if (extra.length) return `unexpected field(s) ${extra.join(", ")}`;
      }
      return undefined;
    },
    secrets: (hooks) => [hooks.token],
    effects: (hooks) => hooks.deliveries.length,
    timeoutMs: 400,
    ...overrides,
  };
}
