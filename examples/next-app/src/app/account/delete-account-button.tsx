"use client";

import { signOut } from "next-auth/react";
import { useState } from "react";

interface Deleted {
  removed: number | null;
  active: number | null;
}

/** "Delete my account": deletes the user, forgets their queued jobs, and says what was removed. */
export function DeleteAccountButton() {
  const [state, setState] = useState<"idle" | "deleting" | Deleted | string>("idle");
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
    setState(body);
    await signOut({ redirect: false });
  }
  if (typeof state === "object") {
    return (
      <p className="card" data-testid="account-deleted">
        Your account is deleted.{" "}
        {state.removed === null
          ? "No queue runs here, so no jobs were kept."
          : `${state.removed} recipe job(s) about you were removed from the queue, a pending tips email included${
              state.active ? `; ${state.active} still running will finish first` : ""
            }.`}{" "}
        <a href="/">Home</a>
      </p>
    );
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
