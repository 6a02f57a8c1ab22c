import { queueSettings } from "../../queue.ts";
import { DeliveriesView } from "./deliveries-view.tsx";
import { JobsView } from "./jobs-view.tsx";

export const dynamic = "force-dynamic";

export default function DeliveriesPage() {
  return (
    <>
      <h1>Deliveries</h1>
      <p className="muted">
        What each emulated service received, newest first, updated every second. A service set up
        with real credentials is not shown: its deliveries are in that service.
      </p>
      {/* Queue mode only: without a queue the page does not poll for jobs. */}
      {queueSettings() ? <JobsView /> : null}
      <DeliveriesView />
    </>
  );
}
