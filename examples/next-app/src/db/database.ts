import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import Database from "better-sqlite3";
import { type BetterSQLite3Database, drizzle } from "drizzle-orm/better-sqlite3";
import { migrations } from "./migrations.ts";
import * as schema from "./schema.ts";

export type AppDatabase = BetterSQLite3Database<typeof schema>;

/** Where the database lives: `DATABASE_PATH`, or `.data/app.db` in the app's folder (git-ignored). */
export function databasePath(): string {
  const path = process.env.DATABASE_PATH || join(process.cwd(), ".data", "app.db");
  // A path known only at run time: tell the bundler not to trace the whole project for it.
  return resolve(/* turbopackIgnore: true */ path);
}

/**
 * Runs the migrations the file has not seen yet, in one write transaction: two processes opening one new
 * file (the app and a script) migrate it once.
 */
export function migrate(sqlite: Database.Database): void {
  sqlite
    .transaction(() => {
      const applied = sqlite.pragma("user_version", { simple: true }) as number;
      for (const sql of migrations.slice(applied)) sqlite.exec(sql);
      if (applied < migrations.length) sqlite.pragma(`user_version = ${migrations.length}`);
    })
    .immediate();
}

/** Opens a database file (`:memory:` for one in memory), creating and migrating it if needed. */
export function openDatabase(path: string): AppDatabase {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  // WAL lets a reader (a script, the tests) in while a sign-in writes; foreign keys make ON DELETE
  // CASCADE work; a busy database is waited for rather than an error.
  if (path !== ":memory:") sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  migrate(sqlite);
  return drizzle(sqlite, { schema });
}

let database: AppDatabase | undefined;

/**
 * The app's database, opened (created and migrated if new) on first use rather than at import, so that
 * `next build` never touches it.
 */
export function db(): AppDatabase {
  database ??= openDatabase(databasePath());
  return database;
}
