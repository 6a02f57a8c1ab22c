import { noJobs, readJobs } from "../../../lib/jobs.ts";
import { appQueue } from "../../../queue.ts";

export const dynamic = "force-dynamic";

/** Queue mode's recipe jobs and their states, for the deliveries page, which polls it. */
export async function GET(): Promise<Response> {
  const queue = appQueue();
  let body = noJobs(Boolean(queue));
  if (queue) {
    try {
      body = await readJobs(queue);
    } catch {
      // Redis is down: the page says so; the reason is not the browser's business.
    }
  }
  return Response.json(body, { headers: { "cache-control": "no-store" } });
}
