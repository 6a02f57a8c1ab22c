import type { DispatchBar, DispatchRecord } from "../../lib/deliveries.ts";

function ms(value: number): string {
  return value >= 1_000 ? `${(value / 1_000).toFixed(2)} s` : `${Math.round(value)} ms`;
}

function outcome(bar: DispatchBar): string {
  const attempts = bar.attempts > 1 ? `, ${bar.attempts} attempts` : "";
  if (bar.status === "rejected")
    return `${bar.timedOut ? "timed out" : "failed"} after ${ms(bar.durationMs)}${attempts}`;
  if (bar.status === "skipped") return `skipped in ${ms(bar.durationMs)}`;
  return `${ms(bar.durationMs)}${attempts}`;
}

/** A few round instants under the longest bar, so widths read as times. */
function ticks(span: number): number[] {
  const step = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000].find(
    (candidate) => span / candidate <= 4,
  );
  if (!step) return [0, span];
  const out: number[] = [];
  for (let at = 0; at <= span; at += step) out.push(at);
  return out;
}

/**
 * One dispatch as a timeline: every recipe's handler starts when the event fires, so each bar runs
 * from the left edge to when that handler settled. Bars that end together ran concurrently; a bar cut
 * at the timeout is a handler that hung.
 */
function Dispatch({ dispatch }: { dispatch: DispatchRecord }) {
  const span = Math.max(dispatch.durationMs, ...dispatch.bars.map((bar) => bar.durationMs), 1);
  const failed = dispatch.bars.filter((bar) => bar.status === "rejected").length;
  return (
    <div className="dispatch" data-testid="dispatch" data-event={dispatch.event}>
      <div className="dispatch-head">
        <strong>{dispatch.event}</strong>
        <span className="meta">
          {new Date(dispatch.startedAt).toLocaleTimeString()} · settled in {ms(dispatch.durationMs)}
          {failed ? ` · ${failed} failed` : ""}
        </span>
      </div>
      <div className="lanes">
        {dispatch.bars.map((bar) => (
          <div className="lane" key={bar.recipe}>
            <span className="lane-name">{bar.recipe}</span>
            <span className="lane-track">
              <span
                className={`lane-bar ${bar.status}${bar.timedOut ? " timed-out" : ""}`}
                data-testid="dispatch-bar"
                data-recipe={bar.recipe}
                data-status={bar.status}
                data-timed-out={bar.timedOut ? "true" : undefined}
                style={{ width: `${Math.max(0.6, (bar.durationMs / span) * 100)}%` }}
                title={bar.error ?? bar.reason ?? bar.status}
              />
              <span className="lane-label">{outcome(bar)}</span>
            </span>
          </div>
        ))}
        <div className="lane axis" aria-hidden="true">
          <span className="lane-name" />
          <span className="lane-track">
            {ticks(span).map((at) => (
              <span key={at} className="tick" style={{ left: `${(at / span) * 100}%` }}>
                {ms(at)}
              </span>
            ))}
          </span>
        </div>
      </div>
    </div>
  );
}

/** The latest events the app dispatched, newest first. */
export function Timeline({ dispatches }: { dispatches: DispatchRecord[] }) {
  return (
    <section className="card timeline" aria-label="Dispatches">
      <h2>
        Dispatches <span className="badge">{dispatches.length} recent</span>
      </h2>
      <p className="muted">
        Each event next-auth fired, one bar per recipe from the event to that recipe's settling:{" "}
        <span className="key fulfilled">delivered</span>{" "}
        <span className="key rejected">failed</span> <span className="key skipped">skipped</span>.
        The recipes run at once, so the event lasts as long as its slowest recipe, never longer than
        its timeout.
      </p>
      {dispatches.length ? (
        dispatches.map((dispatch) => <Dispatch key={dispatch.key} dispatch={dispatch} />)
      ) : (
        <p className="muted">No event yet: sign up or sign in.</p>
      )}
    </section>
  );
}
