#!/usr/bin/env node
// The `auth-recipes-jobs` bin: the dead-letter set of a recipe queue, from a shell.
import { parseArgs } from "node:util";
import { Queue } from "bullmq";
import { findUserJobs, listFailedJobs, retryFailedJobs } from "./dead-letters.ts";
import { forgetUser } from "./forget-user.ts";

const HELP = `Usage: auth-recipes-jobs <command> [options]

Commands:
  failed               list failed recipe jobs (the dead-letter set), newest first
  retry                move failed recipe jobs back to the queue; workers run them again
  user <userId>        list every kept job about one user, in every state
  forget <userId>      remove every kept job about one user (waiting, delayed, completed, failed);
                       waits up to 10 s for active ones, exit code 3 if some still run

Options:
  --recipe <name>      only this recipe's jobs (failed, retry)
  --redis <url>        Redis URL; else AUTH_RECIPES_REDIS_URL, else redis://127.0.0.1:6379
  --queue <name>       queue name; else AUTH_RECIPES_QUEUE, else auth-recipes
  --json               print JSON instead of lines
  --help               this text
`;

function redisOptions(url: string): Record<string, unknown> {
  const parsed = new URL(url);
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    throw new Error(`--redis must be a redis:// or rediss:// URL`);
  }
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.pathname.length > 1 ? { db: Number(parsed.pathname.slice(1)) } : {}),
    ...(parsed.protocol === "rediss:" ? { tls: {} } : {}),
    // A tool should fail, not wait forever, when Redis is not there.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
    connectTimeout: 5_000,
  };
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      recipe: { type: "string" },
      redis: { type: "string" },
      queue: { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  const [command, argument] = positionals;
  if (values.help || !command) {
    process.stdout.write(HELP);
    return values.help ? 0 : 2;
  }
  const url = values.redis ?? process.env.AUTH_RECIPES_REDIS_URL ?? "redis://127.0.0.1:6379";
  const name = values.queue ?? process.env.AUTH_RECIPES_QUEUE ?? "auth-recipes";
  const filter = values.recipe === undefined ? {} : { recipe: values.recipe };
  const queue = new Queue(name, { connection: redisOptions(url) });
  queue.on("error", () => {});
  const print = (rows: unknown[], line: (row: never) => string) => {
    process.stdout.write(
      values.json
        ? `${JSON.stringify(rows, null, 2)}\n`
        : rows.map((row) => `${line(row as never)}\n`).join(""),
    );
  };
  try {
    await queue.waitUntilReady();
    switch (command) {
      case "failed": {
        const failed = await listFailedJobs(queue, filter);
        print(
          failed,
          (job: (typeof failed)[number]) =>
            `${job.id}\t${job.recipe}\t${job.event}\t${job.attempts} attempts\t${job.failedReason}`,
        );
        if (!values.json) process.stderr.write(`${failed.length} failed job(s)\n`);
        return 0;
      }
      case "retry": {
        const retried = await retryFailedJobs(queue, filter);
        if (values.json) process.stdout.write(`${JSON.stringify(retried)}\n`);
        else process.stdout.write(`retried ${retried.length} job(s)\n`);
        return 0;
      }
      case "user": {
        if (!argument) throw new Error("user takes a user id: auth-recipes-jobs user <userId>");
        const jobs = await findUserJobs(queue, argument);
        print(
          jobs,
          (job: (typeof jobs)[number]) =>
            `${job.id}\t${job.recipe}\t${job.event}\t${job.state}\t${job.attempts} attempts`,
        );
        return 0;
      }
      case "forget": {
        if (!argument) throw new Error("forget takes a user id: auth-recipes-jobs forget <userId>");
        const result = await forgetUser(queue, argument, { waitMs: 10_000 });
        if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
        else
          process.stdout.write(`removed ${result.removed} job(s), ${result.active} still active\n`);
        return result.active ? 3 : 0;
      }
      default:
        process.stderr.write(`unknown command "${command}"\n${HELP}`);
        return 2;
    }
  } finally {
    await queue.close().catch(() => {});
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `auth-recipes-jobs: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
