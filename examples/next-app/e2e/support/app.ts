import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { type NextServer, startNext } from "../../scripts/next-server.ts";
import type { Emulators } from "./emulators.ts";

/** The build the browser tests run against (see global-setup.ts). */
export const E2E_DIST_DIR = ".next-e2e";

/** A production server of the app, on its own fresh database, pointed at the emulators. */
export interface TestApp extends NextServer {
  /** The SQLite file the app uses. */
  databasePath: string;
  /** The user row for an email address, read from the database file itself. */
  userRow(email: string): UserRow | undefined;
  /** The number of log lines so far: pass it to `logSince` to see what one step printed. */
  mark(): number;
  logSince(mark: number): string[];
  /** Stops the server and deletes its database. */
  close(): Promise<void>;
}

export interface UserRow {
  id: string;
  email: string;
  name: string | null;
  emailVerified: number | null;
  stripeCustomerId: string | null;
}

export async function startApp(
  emulators: Emulators,
  env: Record<string, string> = {},
): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), "next-app-e2e-"));
  const databasePath = join(dir, "app.db");
  const server = await startNext({
    env: {
      ...emulators.env,
      NEXT_DIST_DIR: E2E_DIST_DIR,
      NEXTAUTH_SECRET: "e2e-secret-that-is-only-used-on-loopback",
      DATABASE_PATH: databasePath,
      ...env,
    },
    onLine: process.env.E2E_SERVER_LOG ? (line) => console.log(`[next] ${line}`) : undefined,
  });
  return {
    ...server,
    databasePath,
    userRow(email) {
      const sqlite = new Database(databasePath, { readonly: true, fileMustExist: true });
      try {
        return sqlite.prepare("SELECT * FROM user WHERE email = ?").get(email) as
          | UserRow
          | undefined;
      } finally {
        sqlite.close();
      }
    },
    mark: () => server.log.length,
    logSince: (mark) => server.log.slice(mark),
    async close() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
