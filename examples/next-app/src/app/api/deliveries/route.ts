import { recentDispatches } from "../../../lib/dispatches.ts";
import { readDeliveries } from "../../../lib/inbox.ts";
import { getServices } from "../../../lib/services.ts";

export const dynamic = "force-dynamic";

/** What the emulators received and how the latest events went, for the deliveries page, which polls it. */
export async function GET(): Promise<Response> {
  const deliveries = { ...(await readDeliveries(getServices())), dispatches: recentDispatches() };
  return Response.json(deliveries, {
    headers: { "cache-control": "no-store" },
  });
}
