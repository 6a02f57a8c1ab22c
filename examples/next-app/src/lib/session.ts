import { getServerSession, type Session } from "next-auth";
import { authOptions } from "../auth.ts";

/** The signed-in user's session, or null. */
export function currentSession(): Promise<Session | null> {
  return getServerSession(authOptions());
}
