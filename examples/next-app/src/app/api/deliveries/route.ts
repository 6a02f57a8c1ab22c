import { readDeliveries } from "../../../lib/inbox.ts";
import { getServices } from "../../../lib/services.ts";

export const dynamic = "force-dynamic";

/** What the emulators received, for the deliveries page, which polls it. */
export async function GET(): Promise<Response> {
  return Response.json(await readDeliveries(getServices()), {
    headers: { "cache-control": "no-store" },
  });
}
