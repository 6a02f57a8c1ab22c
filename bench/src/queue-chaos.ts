// Section 6's chaos run: sign-ups enqueued at a steady pace while a worker is SIGKILLed and restarted every
// few seconds and Redis restarts once; then every service is counted per user.
import type { ChildProcess } from "node:child_process";
import { EnqueueError, enqueueRecipes } from "@auth-recipes/bullmq";
import { composeEvents } from "@auth-recipes/core";
import type { RedisServer } from "@auth-recipes/testing";
import type { Queue } from "bullmq";
import type { ChaosResult } from "./queue.ts";
import { child, sleep, stopChild } from "./queue-processes.ts";
import {
  benchUser,
  closeClients,
  endpointsOf,
  makeClients,
  makeRecipes,
  type Services,
} from "./services.ts";

// Short locks, so a killed worker's jobs come back within a couple of seconds rather than 30.
const LOCKS = { lockMs: 2_000, stalledMs: 1_000 };
// What a production worker would set: a failed send (a timeout under load, a connection cut by a kill)
// is retried from Redis rather than left in the dead-letter set.
const RETRY = { retries: 5, minDelayMs: 200, maxDelayMs: 2_000 };
const KILL_EVERY_MS = 3_000;

function count(
  values: string[],
  expected: string[],
): { expected: number; lost: number; duplicates: number } {
  const seen = new Map<string, number>();
  for (const value of values) seen.set(value, (seen.get(value) ?? 0) + 1);
  let lost = 0;
  let duplicates = 0;
  for (const key of expected) {
    const n = seen.get(key) ?? 0;
    if (n === 0) lost++;
    else duplicates += n - 1;
  }
  return { expected: expected.length, lost, duplicates };
}

/**
 * Segment drops a message whose id it has seen: a re-run job re-sends the same ids (derived from the
 * dispatchId), so only a repeat with a new id is a duplicate.
 */
function segmentSignedUp(services: Services, users: string[]): ChaosResult["services"][number] {
  const tracks = services.segment.messages.filter(
    (m) => m.type === "track" && m.event === "Signed Up",
  );
  const ids = new Map<string, Set<string>>();
  for (const m of tracks) {
    const set = ids.get(m.userId ?? "") ?? new Set<string>();
    set.add(m.messageId ?? "");
    ids.set(m.userId ?? "", set);
  }
  let lost = 0;
  let duplicates = 0;
  for (const user of users) {
    const n = ids.get(user)?.size ?? 0;
    if (n === 0) lost++;
    else duplicates += n - 1;
  }
  return {
    service: "segment (Signed Up, by message id)",
    expected: users.length,
    lost,
    duplicates,
  };
}

export async function runChaos(
  queue: Queue,
  services: Services,
  redis: RedisServer,
  signups: number,
): Promise<ChaosResult> {
  await queue.obliterate({ force: true });
  for (const name of ["smtp", "slack", "stripe", "segment", "resend"] as const) {
    services[name].reset();
  }
  const endpoints = endpointsOf(services, true);
  const start = () =>
    child({
      role: "worker",
      endpoints,
      redisPort: redis.port,
      concurrency: 16,
      ...LOCKS,
      retry: RETRY,
    });
  const workers: ChildProcess[] = [];
  for (const worker of [start(), start()]) {
    await worker.reply;
    workers.push(worker.process);
  }
  const clients = makeClients(endpoints, "configured");
  const recipes = makeRecipes(clients, { reuseExisting: false });
  let inlineFallbacks = 0;
  const inlineFailed: Record<string, number> = {};
  const web = composeEvents(
    [
      enqueueRecipes(recipes, {
        queue,
        enqueueTimeoutMs: 3_000,
        timeoutMs: 60_000,
        fallback: { retry: RETRY },
      }),
    ],
    {
      onError: (error) => {
        if (!(error.cause instanceof EnqueueError)) return;
        inlineFallbacks++;
        for (const result of error.cause.results ?? []) {
          if (result.status === "rejected")
            inlineFailed[result.recipe] = (inlineFailed[result.recipe] ?? 0) + 1;
        }
      },
    },
  ).createUser!;
  const users = Array.from({ length: signups }, (_, i) => `chaos-${i}`);
  const at = performance.now();
  let kills = 0;
  let redisRestarts = 0;
  let stopped = false;
  const killer = (async () => {
    while (!stopped) {
      await sleep(KILL_EVERY_MS);
      if (stopped) break;
      const victim = workers.shift();
      victim?.kill("SIGKILL");
      kills++;
      const next = start();
      await next.reply.catch(() => {});
      workers.push(next.process);
    }
  })();
  for (let i = 0; i < users.length; i++) {
    if (i === Math.floor(users.length / 2)) {
      await redis.stop();
      await redis.start();
      redisRestarts++;
    }
    void web({ user: benchUser(users[i]!) });
    if (i % 20 === 19) await sleep(10);
  }
  // Everything that was accepted has to come out: wait until no job is left to run.
  const until = Date.now() + 180_000;
  for (;;) {
    await sleep(250);
    const counts = await queue
      .getJobCounts("waiting", "active", "delayed", "prioritized")
      .catch(() => undefined);
    if (counts && Object.values(counts).every((n) => n === 0)) break;
    if (Date.now() > until) break;
  }
  stopped = true;
  await killer;
  await Promise.all(workers.map(stopChild));
  const skipped: Record<string, number> = {};
  for (const job of await queue.getCompleted(0, -1)) {
    const recipe = (job.data as { recipe?: string }).recipe ?? "?";
    if ((job.returnvalue as { status?: string } | null)?.status === "skipped")
      skipped[recipe] = (skipped[recipe] ?? 0) + 1;
  }
  const deadLetters: Record<string, number> = {};
  for (const job of await queue.getFailed(0, -1)) {
    const recipe = (job.data as { recipe?: string }).recipe ?? "?";
    deadLetters[recipe] = (deadLetters[recipe] ?? 0) + 1;
  }
  await closeClients(clients);
  const seconds = (performance.now() - at) / 1000;
  const emails = users.map((u) => `${u}@example.test`);
  return {
    signups,
    workerKills: kills,
    redisRestarts,
    inlineFallbacks,
    inlineFailed,
    skipped,
    deadLetters,
    services: [
      {
        service: "smtp (welcome emails)",
        ...count(
          services.smtp.messages.flatMap((m) => m.envelope.to),
          emails,
        ),
      },
      {
        // Through the same SIGKILLs: one email per Idempotency-Key, whatever the retries.
        service: "resend (welcome emails)",
        ...count(
          services.resend.emails.flatMap((e) => e.to),
          emails,
        ),
      },
      {
        service: "slack (messages)",
        ...count(
          services.slack.messages.map(
            (m) => /\(([^)]+@example\.test)\)/.exec(m.text ?? "")?.[1] ?? "",
          ),
          emails,
        ),
      },
      {
        service: "stripe (customers)",
        ...count(
          services.stripe.customers.map((c) => c.email ?? ""),
          emails,
        ),
      },
      segmentSignedUp(services, users),
    ],
    seconds,
  };
}
