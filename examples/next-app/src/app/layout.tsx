import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { currentSession } from "../lib/session.ts";
import "./globals.css";

export const metadata: Metadata = {
  title: "auth-recipes demo",
  description:
    "next-auth with a welcome email, Slack, Stripe and Segment, composed by auth-recipes.",
};

// Every page shows who is signed in: render per request.
export const dynamic = "force-dynamic";

export default async function RootLayout({ children }: { children: ReactNode }) {
  const session = await currentSession();
  return (
    <html lang="en">
      <body>
        <header className="top">
          <Link href="/" className="brand">
            auth-recipes <span>demo</span>
          </Link>
          <nav>
            <Link href="/deliveries">Deliveries</Link>
            {session ? (
              <Link href="/account">{session.user?.email ?? "Account"}</Link>
            ) : (
              <Link href="/signin">Sign in</Link>
            )}
          </nav>
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}
