import { forgetUser } from "@auth-recipes/bullmq";
import { eq } from "drizzle-orm";
import { db } from "../../../db/database.ts";
import { users } from "../../../db/schema.ts";
import { currentSession } from "../../../lib/session.ts";
import { appQueue } from "../../../queue.ts";

export const dynamic = "force-dynamic";

/** What `DELETE /api/account` answers: the user is gone, and so are their recipe jobs in queue mode. */
export interface DeletedAccount {
  deleted: true;
  /** Queue mode's jobs about the user that were removed (pending tips email included), else null. */
  removed: number | null;
  /** Jobs a worker was still running after the wait: they finish, and are removed on the next call. */
  active: number | null;
}

/**
 * Deletes the signed-in user (their sessions and accounts go with the row) and, in queue mode, forgets
 * their recipe jobs: `forgetUser` removes every kept job about them, cancelling the tips email, so no
 * copy of their email address stays in Redis. The user row goes first, so that no new event about them
 * enqueues a job behind it. Only from the page itself: a cross-site form cannot send JSON's content type.
 */
export async function DELETE(request: Request): Promise<Response> {
  if (request.headers.get("content-type") !== "application/json") {
    return Response.json({ error: "send application/json" }, { status: 415 });
  }
  const session = await currentSession();
  if (!session) return Response.json({ error: "not signed in" }, { status: 401 });
  const userId = session.user.id;
  db().delete(users).where(eq(users.id, userId)).run();
  const queue = appQueue();
  let result: DeletedAccount = { deleted: true, removed: null, active: null };
  if (queue) {
    try {
      // A job a worker is running finishes first: wait a little for it, then remove it too.
      result = { deleted: true, ...(await forgetUser(queue, userId, { waitMs: 5_000 })) };
    } catch {
      return Response.json({ error: "Redis did not answer; try again" }, { status: 503 });
    }
  }
  return Response.json(result);
}
