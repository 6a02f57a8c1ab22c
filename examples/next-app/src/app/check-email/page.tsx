import Link from "next/link";

export const dynamic = "force-dynamic";

export default function CheckEmail() {
  return (
    <>
      <h1>Check your email</h1>
      <div className="card">
        <p>A sign-in link is on its way.</p>
        <p>
          With the local SMTP emulator (the demo's default), the link is on the{" "}
          <Link href="/deliveries" className="magic">
            Deliveries
          </Link>{" "}
          page.
        </p>
      </div>
    </>
  );
}
