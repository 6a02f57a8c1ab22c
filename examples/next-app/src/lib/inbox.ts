import type { EmulatorsInbox } from "@auth-recipes/testing";
import type {
  DeliveredCustomer,
  DeliveredEmail,
  DeliveredSegmentCall,
  DeliveredSlackMessage,
  Deliveries,
} from "./deliveries.ts";
import type { Services } from "./services.ts";

const SIGN_IN_LINK = /https?:\/\/\S+\/api\/auth\/callback\/email\?\S+/;

/** Newest first, and only what the page shows: the inbox also holds every raw request. */
function toDeliveries(inbox: EmulatorsInbox, targets: Deliveries["targets"]): Deliveries {
  const emails: DeliveredEmail[] = inbox.smtp.messages.map((mail, index) => ({
    key: `mail-${index}`,
    to: mail.envelope.to,
    from: mail.from,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    receivedAt: mail.receivedAt,
    signInLink: SIGN_IN_LINK.exec(mail.text)?.[0],
  }));
  const slack: DeliveredSlackMessage[] = inbox.slack.messages.map((message, index) => ({
    key: `slack-${index}`,
    channel: message.channelName,
    text: message.text,
    blocks: message.blocks,
    ts: message.ts,
  }));
  const customers: DeliveredCustomer[] = inbox.stripe.customers.map((customer, index) => ({
    key: `customer-${index}`,
    id: customer.id,
    email: customer.email,
    name: customer.name,
    metadata: customer.metadata,
    created: customer.created * 1_000,
  }));
  const segment: DeliveredSegmentCall[] = inbox.segment.messages.map((message, index) => ({
    key: `segment-${index}`,
    type: message.type,
    userId: message.userId,
    event: message.event,
    traits: message.traits,
    properties: message.properties,
    messageId: message.messageId,
    timestamp: message.timestamp,
  }));
  return {
    targets,
    reachable: true,
    emails: emails.reverse(),
    slack: slack.reverse(),
    customers: customers.reverse(),
    segment: segment.reverse(),
  };
}

/**
 * What the emulators received, read from their `GET /_inbox`. A service that goes to the real one is
 * left out: its inbox is that service's dashboard.
 */
export async function readDeliveries(services: Services): Promise<Deliveries> {
  const targets = {
    smtp: services.smtp.target,
    slack: services.slack.target,
    stripe: services.stripe.target,
    segment: services.segment.target,
  };
  const empty: Deliveries = {
    targets,
    reachable: false,
    emails: [],
    slack: [],
    customers: [],
    segment: [],
  };
  if (!services.inboxUrl) return { ...empty, reachable: true };
  let inbox: EmulatorsInbox;
  try {
    const response = await fetch(services.inboxUrl, {
      cache: "no-store",
      signal: AbortSignal.timeout(2_000),
    });
    if (!response.ok) return empty;
    inbox = (await response.json()) as EmulatorsInbox;
  } catch {
    return empty;
  }
  const deliveries = toDeliveries(inbox, targets);
  if (targets.smtp === "real") deliveries.emails = [];
  if (targets.slack === "real") deliveries.slack = [];
  if (targets.stripe === "real") deliveries.customers = [];
  if (targets.segment === "real") deliveries.segment = [];
  return deliveries;
}
