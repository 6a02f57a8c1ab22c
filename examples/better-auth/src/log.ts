// What `npm run demo:better-auth` prints as it runs: one line per event the plugin dispatched (each
// recipe's outcome and time, as the next-auth demo prints them) and one per delivery an emulator
// received. Never an email address or a name: the subject, the channel, the customer id, the call.
import type { DispatchReport } from "@auth-recipes/core";
import type { Emulators } from "@auth-recipes/testing";

/** `[auth-recipes] createUser settled in 120 ms: welcome-email fulfilled 98 ms, …` */
export function dispatchLine(report: DispatchReport): string {
  const results = report.results
    .map((result) => `${result.recipe} ${result.status} ${Math.round(result.durationMs)} ms`)
    .join(", ");
  return `[auth-recipes] ${report.event} settled in ${Math.round(report.durationMs)} ms: ${results}`;
}

/**
 * Calls `print` with one line for each delivery the emulators receive from now on, checked every
 * `everyMs`. Returns the function that stops watching.
 */
export function watchDeliveries(
  emulators: Emulators,
  print: (line: string) => void,
  everyMs = 200,
): () => void {
  const seen = { smtp: 0, slack: 0, segment: 0 };
  const customers = new Set(emulators.stripe.customers.map((customer) => customer.id));
  // Only what arrives from now on.
  seen.smtp = emulators.smtp.messages.length;
  seen.slack = emulators.slack.messages.length;
  seen.segment = emulators.segment.messages.length;
  /** The new items of a list that only grows (or is emptied by a reset). */
  const fresh = <T>(key: keyof typeof seen, list: readonly T[]): T[] => {
    if (list.length < seen[key]) seen[key] = 0;
    const items = list.slice(seen[key]);
    seen[key] = list.length;
    return items;
  };
  const timer = setInterval(() => {
    for (const mail of fresh("smtp", emulators.smtp.messages)) {
      print(`[delivered] SMTP: an email, "${mail.subject.slice(0, 80)}"`);
    }
    for (const message of fresh("slack", emulators.slack.messages)) {
      print(`[delivered] Slack: a message in #${message.channelName}`);
    }
    for (const customer of emulators.stripe.customers) {
      if (customers.has(customer.id)) continue;
      customers.add(customer.id);
      print(`[delivered] Stripe: customer ${customer.id} created`);
    }
    for (const message of fresh("segment", emulators.segment.messages)) {
      print(`[delivered] Segment: ${message.type}${message.event ? ` "${message.event}"` : ""}`);
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
