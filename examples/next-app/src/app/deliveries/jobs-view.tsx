"use client";

import { useCallback, useEffect, useState } from "react";
import type { JobState, JobsSnapshot } from "../../lib/jobs.ts";
import "./jobs.css";

const POLL_MS = 1_000;
const ORDER: readonly JobState[] = ["waiting", "active", "delayed", "completed", "failed"];

function time(ms: number | undefined): string {
  return ms ? new Date(ms).toLocaleTimeString() : "";
}

/**
 * Queue mode's jobs: one row per recipe job with its state and attempts, and a retry button on failed
 * ones (the dead-letter retry: that recipe's failed jobs go back to the queue, attempts reset).
 */
export function JobsView() {
  const [snapshot, setSnapshot] = useState<JobsSnapshot | undefined>();
  const [retrying, setRetrying] = useState<string | undefined>();
  const [note, setNote] = useState<string | undefined>();

  const load = useCallback(async () => {
    const response = await fetch("/api/jobs", { cache: "no-store" });
    if (response.ok) setSnapshot((await response.json()) as JobsSnapshot);
  }, []);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      await load().catch(() => {});
      if (!stopped) timer = setTimeout(poll, POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [load]);

  const retry = async (recipe: string) => {
    setRetrying(recipe);
    try {
      const response = await fetch("/api/jobs/retry", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ recipe }),
      });
      const body = (await response.json()) as { retried?: string[]; error?: string };
      setNote(
        body.retried ? `${body.retried.length} ${recipe} job(s) back in the queue` : body.error,
      );
      await load();
    } finally {
      setRetrying(undefined);
    }
  };

  if (!snapshot?.queueMode) return null;
  return (
    <section className="card jobs" aria-label="Jobs" data-testid="jobs">
      <h2>
        Jobs{" "}
        {ORDER.map((state) => (
          <span key={state} className={`badge job-${state}`} data-testid={`count-${state}`}>
            {snapshot.counts[state] ?? 0} {state}
          </span>
        ))}
      </h2>
      <p className="muted">
        Queue mode: the sign-in only enqueued these; the worker process runs them. Kill it and sign
        up: they wait; start it again and they run.
      </p>
      {snapshot.reachable ? (
        <p
          className={snapshot.workers > 0 ? "muted" : "error"}
          data-testid="workers"
          data-workers={snapshot.workers}
        >
          {snapshot.workers > 0
            ? `Workers connected: ${snapshot.workers}.`
            : `No worker is connected: ${snapshot.counts.waiting ?? 0} waiting job(s) run once one starts (the demo starts it again within seconds).`}
        </p>
      ) : null}
      {!snapshot.reachable ? (
        <p className="error" role="alert">
          Redis is not answering.
        </p>
      ) : null}
      {note ? <p className="muted">{note}</p> : null}
      <table className="jobs-table">
        <thead>
          <tr>
            <th>Recipe</th>
            <th>User</th>
            <th>Event</th>
            <th>State</th>
            <th>Attempts</th>
            <th>Added</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {snapshot.jobs.map((job) => (
            <tr key={job.id} data-testid="job" data-state={job.state} data-recipe={job.recipe}>
              <td>{job.recipe}</td>
              <td className="job-user">{job.user}</td>
              <td>{job.event}</td>
              <td>
                <span className={`badge job-${job.state}`}>{job.state}</span>
                {job.failedReason ? <div className="meta">{job.failedReason}</div> : null}
              </td>
              <td data-testid="job-attempts">{job.attempts}</td>
              <td>{time(job.createdAt)}</td>
              <td>
                {job.state === "failed" ? (
                  <button
                    type="button"
                    disabled={retrying !== undefined}
                    onClick={() => void retry(job.recipe)}
                  >
                    Retry
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
