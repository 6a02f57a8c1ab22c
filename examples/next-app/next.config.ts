import type { NextConfig } from "next";

const config: NextConfig = {
  // The browser tests build into a folder of their own, so that a running demo's build is left alone.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // The SDKs and the SQLite driver run on the server as installed, not bundled: better-sqlite3 is a
  // native addon, and the SDKs read their own package files at run time.
  serverExternalPackages: [
    "better-sqlite3",
    "nodemailer",
    "stripe",
    "@segment/analytics-node",
    // BullMQ reads its Lua scripts from its package files at run time.
    "bullmq",
    "ioredis",
  ],
  poweredByHeader: false,
  // `pnpm --filter @auth-recipes/example-next-app typecheck` checks the types (CI's typecheck step);
  // skipping it here keeps `next build` in the demo and the browser tests short.
  typescript: { ignoreBuildErrors: true },
};

export default config;
