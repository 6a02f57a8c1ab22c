import type { EmulatorsInbox } from "@auth-recipes/testing";
import type { Deliveries, ServiceName, ServiceTarget } from "./deliveries.ts";
import type { Services } from "./services.ts";

const SIGN_IN_LINK = /https?:\/\/\S+\/api\/auth\/callback\/email\?\S+/;
const NAMES: readonly ServiceName[] = ["smtp", "slack", "stripe", "segment", "posthog", "webhook"];

/** Whether two addresses name one server (host and port), whatever their paths. */
function sameServer(a: string, b: string): boolean {
  try {
    return new URL(a).host === new URL(b).host;
  } catch {
    return false;
  }
}

/** Newest first, and only what the page shows: the inbox also holds every raw request. */
function lists(inbox: EmulatorsInbox) {
  return {
    emails: inbox.smtp.messages
      .map((mail, index) => ({
        key: `mail-${index}`,
        via: "smtp" as const,
        to: mail.envelope.to,
        from: mail.from,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        receivedAt: mail.receivedAt,
        signInLink: SIGN_IN_LINK.exec(mail.text)?.[0],
      }))
      .reverse(),
    // An inbox of an older bin has no Resend.
    resend: (inbox.resend?.emails ?? [])
      .map((email, index) => ({
        key: `resend-${index}`,
        via: "resend" as const,
        to: email.to,
        from: email.from,
        subject: email.subject,
        text: email.text ?? "",
        html: email.html,
        receivedAt: Date.parse(email.created_at) || undefined,
        signInLink: undefined,
      }))
      .reverse(),
    slack: inbox.slack.messages
      .map((message, index) => ({
        key: `slack-${index}`,
        channel: message.channelName,
        text: message.text,
        blocks: message.blocks,
        ts: message.ts,
      }))
      .reverse(),
    customers: inbox.stripe.customers
      .map((customer, index) => ({
        key: `customer-${index}`,
        id: customer.id,
        email: customer.email,
        name: customer.name,
        metadata: customer.metadata,
        created: customer.created * 1_000,
      }))
      .reverse(),
    segment: inbox.segment.messages
      .map((message, index) => ({
        key: `segment-${index}`,
        type: message.type,
        userId: message.userId,
        event: message.event,
        traits: message.traits,
        properties: message.properties,
        messageId: message.messageId,
        timestamp: message.timestamp,
      }))
      .reverse(),
    posthog: inbox.posthog.events
      .map((event, index) => ({
        key: `posthog-${index}`,
        event: event.event,
        distinctId: String(event.distinct_id),
        uuid: event.uuid,
        // The SDK's own `$lib`, `$geoip_disable`, …: only the recipe's properties and `$set` are shown.
        properties: Object.fromEntries(
          Object.entries(event.properties ?? {}).filter(
            ([name]) => !name.startsWith("$") || name === "$set",
          ),
        ),
        timestamp: event.timestamp,
      }))
      .reverse(),
    // An inbox without a receiver (an older emulators bin) lists none.
    webhooks: (inbox.webhook?.deliveries ?? [])
      .map((delivery, index) => ({
        key: `webhook-${index}`,
        id: delivery.id,
        type: delivery.type,
        userId: (delivery.payload as { data?: { user?: { id?: string } } } | undefined)?.data?.user
          ?.id,
        signatureValid: delivery.signatureValid,
        answer: delivery.answer,
      }))
      .reverse(),
  };
}

/**
 * What the emulators received, read from their `GET /_inbox`. Only the services that this app sends to
 * those emulators are listed: one set up with real credentials is not, its inbox is that service's
 * dashboard.
 */
export async function readDeliveries(services: Services): Promise<Omit<Deliveries, "dispatches">> {
  const targets = Object.fromEntries(
    NAMES.map((name) => [name, { endpoint: services[name].endpoint, emulated: false }]),
  ) as Record<ServiceName, ServiceTarget>;
  const none: Omit<Deliveries, "dispatches"> = {
    targets,
    reachable: false,
    emails: [],
    slack: [],
    customers: [],
    segment: [],
    posthog: [],
    webhooks: [],
  };
  let inbox: EmulatorsInbox;
  try {
    const response = await fetch(services.inboxUrl, {
      cache: "no-store",
      signal: AbortSignal.timeout(2_000),
    });
    if (!response.ok) return none;
    inbox = (await response.json()) as EmulatorsInbox;
  } catch {
    return none;
  }
  for (const name of NAMES) {
    const url = inbox[name]?.url;
    targets[name].emulated = url !== undefined && sameServer(targets[name].endpoint, url);
  }
  const all = lists(inbox);
  // The welcome email over Resend, when the app sends it to the Resend emulator, lists with the mail.
  const resend =
    services.resend && inbox.resend && sameServer(services.resend.endpoint, inbox.resend.url)
      ? all.resend
      : [];
  return {
    targets,
    reachable: true,
    emails: [...resend, ...(targets.smtp.emulated ? all.emails : [])],
    slack: targets.slack.emulated ? all.slack : [],
    customers: targets.stripe.emulated ? all.customers : [],
    segment: targets.segment.emulated ? all.segment : [],
    posthog: targets.posthog.emulated ? all.posthog : [],
    webhooks: targets.webhook.emulated ? all.webhooks : [],
  };
}
