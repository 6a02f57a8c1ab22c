"use client";

import { useEffect, useState } from "react";
import type {
  DeliveredCustomer,
  DeliveredEmail,
  DeliveredPostHogEvent,
  DeliveredSegmentCall,
  DeliveredSlackMessage,
  DeliveredWebhook,
  Deliveries,
  ServiceTarget,
} from "../../lib/deliveries.ts";
import { Timeline } from "./timeline.tsx";

const POLL_MS = 1_000;

function time(ms: number | undefined): string {
  return ms ? new Date(ms).toLocaleTimeString() : "";
}

function Badge({ target, count }: { target: ServiceTarget; count: number }) {
  return target.emulated ? (
    <span className="badge">{count} received</span>
  ) : (
    <span className="badge real" title={target.endpoint}>
      not the emulator
    </span>
  );
}

function Elsewhere({ target }: { target: ServiceTarget }) {
  return target.emulated ? null : (
    <p className="muted">
      Sent to <code>{target.endpoint}</code>, not to the emulator: see that service.
    </p>
  );
}

function Email({ mail }: { mail: DeliveredEmail }) {
  return (
    <div className="item" data-testid="delivered-email">
      <div>
        <strong>{mail.subject}</strong>
      </div>
      <div className="meta">
        to {mail.to.join(", ")} · from {mail.from} · {mail.via === "resend" ? "via Resend · " : ""}
        {time(mail.receivedAt)}
      </div>
      {mail.signInLink ? (
        <p>
          <a className="magic" href={mail.signInLink} data-testid="sign-in-link">
            Open the sign-in link
          </a>
        </p>
      ) : mail.html ? (
        // The mail's HTML, rendered with nothing allowed: no script, no form, no navigation.
        <iframe className="mail" title={mail.subject} sandbox="" srcDoc={mail.html} />
      ) : (
        <pre>{mail.text}</pre>
      )}
    </div>
  );
}

/** Slack's mrkdwn as plain text, roughly as Slack shows it: dates and links by their labels. */
function plain(mrkdwn: string): string {
  return mrkdwn
    .replace(/<!date\^[^|>]*\|([^>]*)>/g, "$1")
    .replace(/<[^|>]+\|([^>]+)>/g, "$1")
    .replace(/[*_`]/g, "")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");
}

type Line = { kind: "header" | "field" | "context" | "text"; text: string };

/** The Block Kit blocks' texts, in order: headers, section text and fields, context. */
function blockLines(blocks: unknown[]): Line[] {
  const lines: Line[] = [];
  const textOf = (value: unknown) =>
    typeof (value as { text?: unknown })?.text === "string"
      ? plain((value as { text: string }).text)
      : undefined;
  for (const block of blocks as Array<Record<string, unknown>>) {
    const text = textOf(block.text);
    if (block.type === "header" && text) lines.push({ kind: "header", text });
    if (block.type === "section") {
      if (text) lines.push({ kind: "text", text });
      for (const field of (block.fields as unknown[] | undefined) ?? []) {
        const value = textOf(field);
        if (value) lines.push({ kind: "field", text: value.replace("\n", ": ") });
      }
    }
    if (block.type === "context") {
      for (const element of (block.elements as unknown[] | undefined) ?? []) {
        const value = textOf(element);
        if (value) lines.push({ kind: "context", text: value });
      }
    }
  }
  return lines;
}

function SlackMessage({ message }: { message: DeliveredSlackMessage }) {
  const lines = message.blocks ? blockLines(message.blocks) : [];
  return (
    <div className="item" data-testid="delivered-slack">
      <div className="meta">
        #{message.channel} · notification: {message.text}
      </div>
      {lines.length ? (
        <div className="slack">
          {lines.map((line, index) => (
            // The lines of one message never move: their index is their identity.
            // biome-ignore lint/suspicious/noArrayIndexKey: a static list
            <div key={index} className={`slack-${line.kind}`}>
              {line.text}
            </div>
          ))}
        </div>
      ) : (
        <div>{message.text}</div>
      )}
    </div>
  );
}

function Customer({ customer }: { customer: DeliveredCustomer }) {
  return (
    <div className="item" data-testid="delivered-customer">
      <div>
        <strong>{customer.id}</strong>
      </div>
      <div className="meta">
        {customer.email} {customer.name ? `· ${customer.name}` : ""}
      </div>
      <pre>metadata {JSON.stringify(customer.metadata)}</pre>
    </div>
  );
}

function SegmentCall({ call }: { call: DeliveredSegmentCall }) {
  const detail = call.type === "track" ? call.properties : call.traits;
  return (
    <div className="item" data-testid="delivered-segment">
      <div>
        <strong>{call.type === "track" ? `track “${call.event}”` : call.type}</strong>
      </div>
      <div className="meta">userId {call.userId}</div>
      {detail && Object.keys(detail).length ? <pre>{JSON.stringify(detail)}</pre> : null}
    </div>
  );
}

function PostHogEvent({ event }: { event: DeliveredPostHogEvent }) {
  return (
    <div className="item" data-testid="delivered-posthog">
      <div>
        <strong>{event.event}</strong>
      </div>
      <div className="meta">distinct_id {event.distinctId}</div>
      {Object.keys(event.properties).length ? <pre>{JSON.stringify(event.properties)}</pre> : null}
    </div>
  );
}

function Webhook({ delivery }: { delivery: DeliveredWebhook }) {
  return (
    <div className="item" data-testid="delivered-webhook">
      <div>
        <strong>{delivery.type ?? "(not a payload)"}</strong>
      </div>
      <div className="meta">
        {delivery.signatureValid ? "signature valid" : "signature invalid"} · answered{" "}
        {delivery.answer} · userId {delivery.userId}
      </div>
      <div className="meta">
        <code>{delivery.id}</code>
      </div>
    </div>
  );
}

export function DeliveriesView() {
  const [deliveries, setDeliveries] = useState<Deliveries | undefined>();
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const response = await fetch("/api/deliveries", { cache: "no-store" });
        if (!response.ok) throw new Error(String(response.status));
        if (!stopped) {
          setDeliveries((await response.json()) as Deliveries);
          setFailed(false);
        }
      } catch {
        if (!stopped) setFailed(true);
      }
      if (!stopped) timer = setTimeout(poll, POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, []);

  if (!deliveries)
    return <p className="muted">{failed ? "The app did not answer." : "Loading…"}</p>;
  const { targets } = deliveries;
  return (
    <>
      {!deliveries.reachable ? (
        <p className="error" role="alert">
          The emulators' inbox is not answering. <code>npm run demo</code> starts them; so does{" "}
          <code>npx auth-recipes-emulators</code> (then set <code>AUTH_RECIPES_INBOX_URL</code> if
          it is not on port 4000).
        </p>
      ) : null}
      <Timeline dispatches={deliveries.dispatches ?? []} />
      <div className="grid">
        <section className="card" aria-label="Email">
          <h2>
            Email <Badge target={targets.smtp} count={deliveries.emails.length} />
          </h2>
          <Elsewhere target={targets.smtp} />
          {deliveries.emails.map((mail) => (
            <Email key={mail.key} mail={mail} />
          ))}
        </section>
        <section className="card" aria-label="Slack">
          <h2>
            Slack <Badge target={targets.slack} count={deliveries.slack.length} />
          </h2>
          <Elsewhere target={targets.slack} />
          {deliveries.slack.map((message) => (
            <SlackMessage key={message.key} message={message} />
          ))}
        </section>
        <section className="card" aria-label="Stripe">
          <h2>
            Stripe <Badge target={targets.stripe} count={deliveries.customers.length} />
          </h2>
          <Elsewhere target={targets.stripe} />
          {deliveries.customers.map((customer) => (
            <Customer key={customer.key} customer={customer} />
          ))}
        </section>
        <section className="card" aria-label="Segment">
          <h2>
            Segment <Badge target={targets.segment} count={deliveries.segment.length} />
          </h2>
          <Elsewhere target={targets.segment} />
          {deliveries.segment.map((call) => (
            <SegmentCall key={call.key} call={call} />
          ))}
        </section>
        <section className="card" aria-label="PostHog">
          <h2>
            PostHog <Badge target={targets.posthog} count={deliveries.posthog.length} />
          </h2>
          <Elsewhere target={targets.posthog} />
          {deliveries.posthog.map((event) => (
            <PostHogEvent key={event.key} event={event} />
          ))}
        </section>
        <section className="card" aria-label="Webhook">
          <h2>
            Webhook <Badge target={targets.webhook} count={deliveries.webhooks.length} />
          </h2>
          <Elsewhere target={targets.webhook} />
          {(deliveries.webhooks ?? []).map((delivery) => (
            <Webhook key={delivery.key} delivery={delivery} />
          ))}
        </section>
      </div>
    </>
  );
}
