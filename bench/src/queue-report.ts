import type { QueueResult } from "./queue.ts";
import type { Goal } from "./report.ts";
import { formatMs, formatRatio, formatSummary } from "./stats.ts";
import { reportTable } from "./table.ts";

/** Section 6's table and goals. */
export function printQueue(result: QueueResult): Goal[] {
  const ms = (s: QueueResult["enqueuedMs"]) => formatSummary(s, formatMs);
  const [one, two] = result.throughput;
  const rows: string[][] = [
    ["createUser latency, in-process (four recipes)", ms(result.inProcessMs)],
    ["createUser latency, enqueued (one addBulk)", ms(result.enqueuedMs)],
    ["web-process CPU per sign-up, in-process", ms(result.inProcessCpuMs)],
    ["web-process CPU per sign-up, enqueued", ms(result.enqueuedCpuMs)],
    ["CPU ratio in-process / enqueued", formatSummary(result.cpuRatio, formatRatio)],
    ...result.throughput.map((t) => [
      `worker throughput, ${t.workers} worker process${t.workers > 1 ? "es" : ""}`,
      `${t.signupsPerSecond.toFixed(0)} sign-ups/s (${t.signups * 4} jobs in ${t.seconds.toFixed(1)} s)`,
    ]),
    ["scaling, 2 workers / 1", formatRatio(result.scaling)],
  ];
  const chaos = result.chaos;
  if (chaos) {
    rows.push([
      "chaos run",
      `${chaos.signups} sign-ups, ${chaos.workerKills} worker SIGKILLs, ${chaos.redisRestarts} Redis restart, ${chaos.inlineFallbacks} inline fallbacks, ${chaos.seconds.toFixed(0)} s`,
    ]);
    rows.push([
      "chaos: in-process fallback runs that failed",
      Object.entries(chaos.inlineFailed)
        .map(([recipe, n]) => `${recipe} ${n}`)
        .join(", ") || "none",
    ]);
    rows.push([
      "chaos: jobs completed as skipped",
      Object.entries(chaos.skipped)
        .map(([recipe, n]) => `${recipe} ${n}`)
        .join(", ") || "none",
    ]);
    rows.push([
      "chaos: dead letters (failed jobs kept to retry)",
      Object.entries(chaos.deadLetters)
        .map(([recipe, n]) => `${recipe} ${n}`)
        .join(", ") || "none",
    ]);
    for (const s of chaos.services)
      rows.push([
        `chaos: ${s.service}`,
        `${s.expected - s.lost}/${s.expected} delivered, ${s.lost} lost, ${s.duplicates} duplicates`,
      ]);
  }
  reportTable(
    `6. Durable dispatch (@auth-recipes/bullmq): the four recipes, upstreams answering after ${result.delayMs} ms, Redis on loopback`,
    ["figure", "value"],
    rows,
    [
      "Latency and CPU are measured in a web process of its own, in-process and enqueued in turn, after a warm-up of sign-ups in that process; CPU over as many sign-ups again, 16 at a time, latency over sign-ups one by one; the emulators and Redis run in other processes.",
      "Throughput: sign-ups enqueued while the queue is paused, then timed from resume until every job completed; each worker runs 16 jobs at once; the emulators, Redis and the workers share the machine's cores.",
      "Chaos: two workers with 2 s locks and retries, one SIGKILLed and replaced every 3 s, Redis stopped and started halfway through the enqueues (enqueues that cannot reach it within 3 s fall back to in-process, with retries). Lost counts users a service never heard of: failed fallback runs and dead letters (kept, to retry) among them. The chaos run adds a fifth recipe, the same welcome email over Resend (resendTransport, idempotency keys), next to SMTP's.",
      ...(result.errors.length ? [`errors: ${result.errors.slice(0, 3).join("; ")}`] : []),
    ],
    "left",
  );
  const lost = chaos ? chaos.services.reduce((n, s) => n + s.lost, 0) : 0;
  const idempotent = chaos?.services.filter((s) => /resend|stripe|segment/.test(s.service)) ?? [];
  const goals: Goal[] = [
    {
      section: 6,
      goal: "enqueued sign-in waits ≤ 2 ms median",
      measured: `${formatMs(result.enqueuedMs.median)} (in-process ${formatMs(result.inProcessMs.median)})`,
      met: result.enqueuedMs.median <= 2,
    },
    {
      section: 6,
      goal: "≥ 10× less web-process CPU per sign-up when enqueued",
      measured: `${formatRatio(result.cpuRatio.median)}`,
      met: result.cpuRatio.median >= 10,
    },
    {
      section: 6,
      goal: "two workers scale throughput",
      measured: `${formatRatio(result.scaling)} (${one?.signupsPerSecond.toFixed(0)} → ${two?.signupsPerSecond.toFixed(0)} sign-ups/s)`,
      met: result.scaling > 1.2,
      note: "on 2 cores shared with Redis, the emulators and this process, a second worker has little CPU left to use",
    },
  ];
  if (chaos) {
    goals.push({
      section: 6,
      goal: "chaos: nothing lost; Resend, Stripe and Segment without duplicates",
      measured: `${lost} lost; duplicates: ${chaos.services.map((s) => `${s.service.split(" ")[0]} ${s.duplicates}`).join(", ")}`,
      met: lost === 0 && idempotent.every((s) => s.duplicates === 0),
    });
  }
  return goals;
}
