import Link from "next/link";
import { getServices } from "../lib/services.ts";
import { currentSession } from "../lib/session.ts";

export const dynamic = "force-dynamic";

export default async function Home() {
  const session = await currentSession();
  const services = getServices();
  const rows = [
    ["Email (sign-in links and the welcome email)", services.smtp.endpoint],
    ["Slack", `${services.slack.endpoint} (${services.slack.channel})`],
    ["Stripe", services.stripe.endpoint],
    ["Segment", services.segment.endpoint],
    ["PostHog", services.posthog.endpoint],
  ] as const;
  return (
    <>
      <h1>Sign up, and watch four side effects happen</h1>
      <div className="card">
        <p>
          This app is next-auth v4 with the Email provider and a SQLite database. Its{" "}
          <code>events</code> come from one <code>composeEvents()</code> call with four recipes: a
          welcome email, a Slack message, a Stripe customer, and Segment and PostHog tracking. They
          run at once, each within a timeout, and a failing one never breaks the sign-in.
        </p>
        <ol className="steps">
          <li>
            <Link href="/signin">Sign up</Link> with any email address: the app emails you a sign-in
            link, and following it the first time makes you a new user.
          </li>
          <li>
            Open <Link href="/deliveries">Deliveries</Link> and click the magic link the emulated
            mail server received.
          </li>
          <li>
            Back on Deliveries, see the welcome email, the Slack message, the Stripe customer and
            the Segment and PostHog events.
          </li>
        </ol>
        {session ? (
          <Link className="button" href="/account">
            Your account
          </Link>
        ) : (
          <Link className="button" href="/signin">
            Sign up
          </Link>
        )}
      </div>
      <div className="card">
        <h2>Where each service goes</h2>
        <p className="muted">
          The local emulators, unless the service's credentials are set in the environment (see the
          README).
        </p>
        <dl className="fields">
          {rows.map(([name, endpoint]) => (
            <div key={name} style={{ display: "contents" }}>
              <dt>{name}</dt>
              <dd>{endpoint}</dd>
            </div>
          ))}
        </dl>
      </div>
    </>
  );
}
