/**
 * The schema's history, one entry per version, applied in order on first use of a database file.
 * SQLite's `user_version` pragma records how many have run, so a new entry migrates an existing file.
 * Keep these in step with schema.ts; never edit an entry that has shipped, append one.
 */
export const migrations: readonly string[] = [
  `
  CREATE TABLE user (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT,
    email TEXT UNIQUE,
    emailVerified INTEGER,
    image TEXT
  );
  CREATE TABLE account (
    userId TEXT NOT NULL REFERENCES user(id) ON DELETE CASCADE,
    type TEXT NOT NULL,
    provider TEXT NOT NULL,
    providerAccountId TEXT NOT NULL,
    refresh_token TEXT,
    access_token TEXT,
    expires_at INTEGER,
    token_type TEXT,
    scope TEXT,
    id_token TEXT,
    session_state TEXT,
    PRIMARY KEY (provider, providerAccountId)
  );
  CREATE TABLE session (
    sessionToken TEXT PRIMARY KEY NOT NULL,
    userId TEXT NOT NULL REFERENCES user(id) ON DELETE CASCADE,
    expires INTEGER NOT NULL
  );
  CREATE TABLE verificationToken (
    identifier TEXT NOT NULL,
    token TEXT NOT NULL,
    expires INTEGER NOT NULL,
    PRIMARY KEY (identifier, token)
  );
  `,
  `ALTER TABLE user ADD COLUMN stripeCustomerId TEXT;`,
];
