import Link from "next/link";

export const dynamic = "force-dynamic";

/** A count from the query string: a whole number, else undefined (the page is reachable by anyone). */
function count(value: string | undefined): number | undefined {
  return value && /^\d{1,6}$/.test(value) ? Number(value) : undefined;
}

/**
 * Where "Delete my account" lands once the account is deleted and the session ended: a page of its own,
 * loaded afresh, so that nothing (the account page, the header) still shows the deleted user. It shows
 * only counts, read from the query string, never who the user was.
 */
export default async function AccountDeleted({
  searchParams,
}: {
  searchParams: Promise<{ removed?: string; active?: string }>;
}) {
  const params = await searchParams;
  const removed = count(params.removed);
  const active = count(params.active);
  return (
    <>
      <h1>Your account is deleted</h1>
      <p className="card" data-testid="account-deleted">
        {removed === undefined
          ? "No queue runs here, so no jobs were kept."
          : `${removed} recipe job(s) about you were removed from the queue, so none still pending (such as a tips email) will run${
              active ? `; ${active} still running will finish first` : ""
            }.`}{" "}
        <Link href="/">Home</Link>
      </p>
    </>
  );
}
