import { retryFailedJobs } from "@auth-recipes/bullmq";
import { appQueue } from "../../../../queue.ts";

export const dynamic = "force-dynamic";

/**
 * Moves failed recipe jobs (all, or one recipe's with `?recipe=`) back to the queue with their attempts
 * reset: the package's dead-letter retry. A POST from the page itself only: a cross-site form cannot
 * send the JSON content type, so it cannot make the demo replay side effects.
 */
export async function POST(request: Request): Promise<Response> {
  const queue = appQueue();
  if (!queue) return Response.json({ error: "queue mode is off" }, { status: 404 });
  if (request.headers.get("content-type") !== "application/json") {
    return Response.json({ error: "send application/json" }, { status: 415 });
  }
  const { recipe } = (await request.json().catch(() => ({}))) as { recipe?: unknown };
  try {
    const retried = await retryFailedJobs(
      queue,
      typeof recipe === "string" && recipe ? { recipe } : {},
    );
    return Response.json({ retried });
  } catch {
    return Response.json({ error: "Redis did not answer" }, { status: 503 });
  }
}
