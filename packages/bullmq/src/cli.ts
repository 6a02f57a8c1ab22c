#!/usr/bin/env node
// The `auth-recipes-jobs` bin: the dead-letter set of a recipe queue, from a shell.
import { parseArgs } from "node:util";
import { CLI_TIMEOUT_MS, describeFailure, openQueue } from "./cli-queue.ts";
import { findUserJobs, retryDeadLetters, scanFailedJobs } from "./dead-letters.ts";
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
  --redis <url>        Redis URL (redis[s]://[user:pass@]host[:port][/db]); else AUTH_RECIPES_REDIS_URL,
                       else redis://127.0.0.1:6379. A database the server lacks is an error.
  --queue <name>       queue name; else AUTH_RECIPES_QUEUE, else auth-recipes
  --json               print JSON instead of lines
  --help               this text

Redis gets ${CLI_TIMEOUT_MS / 1000} s to connect and ${CLI_TIMEOUT_MS / 1000} s per reply; past that the command exits with 1.
`;

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
  const queue = await openQueue(name, url);
  let broken = true;
  const print = (rows: unknown[], line: (row: never) => string) => {
    process.stdout.write(
      values.json
        ? `${JSON.stringify(rows, null, 2)}\n`
        : rows.map((row) => `${line(row as never)}\n`).join(""),
    );
  };
  try {
    const code = await run();
    broken = false;
    return code;
  } finally {
    // A Redis that stopped answering would hold a graceful close (QUIT) for another timeout.
    if (broken) queue.disconnect().catch(() => {});
    else await queue.close().catch(() => {});
  }

  async function run(): Promise<number> {
    switch (command) {
      case "failed": {
        const { found: failed, foreign } = await scanFailedJobs(queue, filter);
        print(
          failed,
          (job: (typeof failed)[number]) =>
            `${job.id}\t${job.recipe}\t${job.event}\t${job.attempts} attempts\t${job.failedReason}`,
        );
        if (!values.json)
          process.stderr.write(`${failed.length} failed job(s)${skipped(foreign)}\n`);
        else if (foreign) process.stderr.write(`${skipped(foreign).slice(2)}\n`);
        return 0;
      }
      case "retry": {
        const { found: retried, foreign } = await retryDeadLetters(queue, filter);
        if (values.json) process.stdout.write(`${JSON.stringify(retried)}\n`);
        else process.stdout.write(`retried ${retried.length} job(s)\n`);
        if (foreign) process.stderr.write(`${skipped(foreign).slice(2)}\n`);
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
  }
}

/** How failed jobs that are not recipe jobs (another producer's, or corrupted) were counted. */
function skipped(foreign: number): string {
  return foreign ? `; ${foreign} not recipe jobs, skipped` : "";
}

main()
  .then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      // Exits once the line is written: a connection that does not answer must not hold the process.
      process.stderr.write(`auth-recipes-jobs: ${describeFailure(error)}\n`, () => process.exit(1));
    },
  )
  .finally(() => {
    // Whatever a library left open, the tool ends now: its bound is the one stated in the help.
    setTimeout(() => process.exit(), 1_000).unref();
  });
