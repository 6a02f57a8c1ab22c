// drizzle.config.ts: what `npx drizzle-kit push` reads to create the tables of lib/db/schema.ts.
export default {
  dialect: "sqlite",
  schema: "./lib/db/schema.ts",
  // The file lib/db/index.ts opens; drizzle-kit does not read .env.local.
  dbCredentials: { url: process.env.DATABASE_PATH ?? "app.db" },
};
