import Link from "next/link";
import { getServices } from "../../lib/services.ts";

export const dynamic = "force-dynamic";

export default function CheckEmail() {
  const emulated = getServices().smtp.target === "emulator";
  return (
    <>
      <h1>Check your email</h1>
      <div className="card">
        <p>A sign-in link is on its way.</p>
        {emulated ? (
          <p>
            Mail goes to the local SMTP emulator here, so the link is on the{" "}
            <Link href="/deliveries" className="magic">
              Deliveries
            </Link>{" "}
            page.
          </p>
        ) : (
          <p className="muted">It was sent through your SMTP server; it may take a minute.</p>
        )}
      </div>
    </>
  );
}
