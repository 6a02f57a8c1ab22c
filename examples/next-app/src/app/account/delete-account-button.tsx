"use client";

import { signOut } from "next-auth/react";
import { useState } from "react";

interface Deleted {
  removed: number | null;
  active: number | null;
}

/** "Delete my account": deletes the user, forgets their queued jobs, and goes to a page saying what was removed. */
export function DeleteAccountButton() {
  const [state, setState] = useState<"idle" | "deleting" | string>("idle");
  async function remove() {
    setState("deleting");
    const response = await fetch("/api/account", {
      method: "DELETE",
      headers: { "content-type": "application/json" },
      body: "{}",
    }).catch(() => undefined);
    const body = (await response?.json().catch(() => undefined)) as
      | (Deleted & { error?: string })
      | undefined;
    if (!response?.ok || !body) {
      setState(body?.error ?? "the request failed");
      return;
    }
    // The account is gone either way: a failed sign-out must not keep the page on "deleting".
    await signOut({ redirect: false }).catch(() => {});
    // A full load of a page of its own: the account page and the header would go on showing the
    // deleted user as signed in (signOut without a redirect re-renders neither).
    const query = new URLSearchParams();
    if (body.removed !== null) query.set("removed", String(body.removed));
    if (body.active) query.set("active", String(body.active));
    window.location.assign(`/account/deleted?${query}`);
  }
  return (
    <>
      <button
        type="button"
        className="secondary"
        disabled={state === "deleting"}
        onClick={() => void remove()}
      >
        Delete my account
      </button>
      {state !== "idle" && state !== "deleting" && <p role="alert">{state}</p>}
    </>
  );
}
