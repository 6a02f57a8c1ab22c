import { SIZE_BUDGETS } from "./budgets.ts";
import { DISPATCH_VARIANTS, type DispatchRow } from "./dispatch.ts";
import type { HangLatencyResult } from "./hang-latency.ts";
import type { HungResult } from "./hung.ts";
import type { LatencyResult } from "./latency.ts";
import type { ImportRow, SizeRow } from "./size.ts";
import { formatBytes, formatMs, formatRatio, formatSummary, type Summary } from "./stats.ts";
import { reportTable } from "./table.ts";
import type { ThroughputResult } from "./throughput.ts";

/** One goal of issue 10, as measured. */
export interface Goal {
  section: number;
  goal: string;
  measured: string;
  met: boolean;
  /** By how much and why, when missed; what it rests on, when met. */
  note?: string;
}

const ms = (s: Summary) => formatSummary(s, formatMs);
const ratio = (s: Summary) => formatSummary(s, formatRatio);
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

export function printDispatch(rows: readonly DispatchRow[]): Goal[] {
  reportTable(
    "1. Dispatch overhead, no I/O: time per createUser call with N no-op handlers, median (p25–p75)",
    ["handlers", ...DISPATCH_VARIANTS],
    rows.map((row) => [
      String(row.handlers),
      ...DISPATCH_VARIANTS.map((variant) => ms(row.perCallMs[variant])),
    ]),
  );
  reportTable(
    "   the same, each over bare Promise.allSettled in the same round: median (p25–p75)",
    [
      "handlers",
      ...DISPATCH_VARIANTS.filter((v) => v !== "Promise.allSettled"),
      "composeEvents / (allSettled + timeout)",
      "composeEvents added per handler",
    ],
    rows.map((row) => [
      String(row.handlers),
      ...DISPATCH_VARIANTS.filter((v) => v !== "Promise.allSettled").map((variant) =>
        ratio(row.vsAllSettled[variant]),
      ),
      ratio(row.composedVsTimeout),
      ms(row.addedPerHandlerMs),
    ]),
    [
      "sequential awaits each handler in turn, as a hand-written events.createUser does.",
      "mitt neither awaits its handlers nor catches their rejections.",
      "allSettled + timeout races each handler with a timer, cleared when the handler settles.",
    ],
  );
  return rows.map((row) => {
    const r = row.vsAllSettled.composeEvents;
    const met = r.median <= 1.5;
    const timers = row.vsAllSettled["allSettled + timeout"];
    return {
      section: 1,
      goal: `composeEvents ≤ 1.5× bare Promise.allSettled (${row.handlers} handler${row.handlers === 1 ? "" : "s"})`,
      measured: `${ratio(r)}; +${formatMs(row.addedPerHandlerMs.median)} per handler`,
      met,
      note: met
        ? undefined
        : `${formatRatio(r.median)} is ${((r.median / 1.5 - 1) * 100).toFixed(0)}% over the 1.5× goal. Bare allSettled does no work of its own. composeEvents gives each handler a context, races it against its timeout (setting a timer only for a handler still pending after a microtask) and builds its result; a hand-written allSettled with a timer per handler measures ${formatRatio(timers.median)} of bare, and composeEvents ${formatRatio(row.composedVsTimeout.median)} of that. In absolute terms: ${formatMs(row.addedPerHandlerMs.median)} per handler per call, against tens of milliseconds of I/O per real handler (section 2).`,
    };
  });
}

export function printLatency(results: readonly LatencyResult[]): Goal[] {
  const goals: Goal[] = [];
  for (const result of results) {
    reportTable(
      `2. Latency under I/O: one createUser through the four recipes, every upstream answering ${result.delayMs} ms late (${result.setup}), ${result.rounds} rounds, median (p25–p75)`,
      ["run", "time", "ratio"],
      [
        ...Object.entries(result.aloneMs).map(([name, s]) => [`${name} alone`, ms(s), ""]),
        ["slowest alone (per round)", ms(result.slowestMs), ""],
        ["sum of the four alone (per round)", ms(result.sumMs), ""],
        ["composeEvents", ms(result.composedMs), `${ratio(result.composedVsSlowest)} the slowest`],
        [
          "sequential (hand-written)",
          ms(result.sequentialMs),
          `${ratio(result.sequentialVsComposed)} composed`,
        ],
        ["composeEvents + waitUntil: returns", ms(result.waitUntilMs), ""],
        ["composeEvents + waitUntil: side effects done", ms(result.waitUntilSettledMs), ""],
      ],
      result.failures.length
        ? [`FAILURES (the figures are void): ${result.failures.slice(0, 3).join("; ")}`]
        : [],
    );
    const slow = result.composedVsSlowest;
    const seq = result.sequentialVsComposed;
    const idealSeq = result.sumMs.median / result.slowestMs.median;
    goals.push(
      {
        section: 2,
        goal: `composed ≤ 1.2× the slowest recipe (${result.setup})`,
        measured: ratio(slow),
        met: slow.median <= 1.2 && result.failures.length === 0,
      },
      {
        section: 2,
        goal: `sequential ≥ 3× composed (${result.setup})`,
        measured: ratio(seq),
        met: seq.median >= 3 && result.failures.length === 0,
        note:
          seq.median >= 3
            ? undefined
            : `${formatRatio(seq.median)} is ${((1 - seq.median / 3) * 100).toFixed(0)}% short of 3×. Concurrency can save at most the sum of the four over the slowest, here ${formatRatio(idealSeq)}, because the four do not take equally long: stripe-customer makes two requests (customers.list to reuse a customer with the same email, then customers.create), so it alone waits out two delays. With one request each (the next table) the goal is met.`,
      },
      {
        section: 2,
        goal: `composed with waitUntil ≈ 0 (${result.setup})`,
        measured: `${ms(result.waitUntilMs)} to return; side effects done after ${formatMs(result.waitUntilSettledMs.median)}`,
        met: result.waitUntilMs.median < result.composedMs.median / 10,
        note: "what remains is the synchronous part of the four handlers (building each request) before their first await",
      },
    );
  }
  return goals;
}

export function printHangLatency(result: HangLatencyResult): Goal[] {
  const at = result.offsetsMs.map((offset) => `${formatMs(offset)} into the hang`);
  const cell = (value: number | null) =>
    value === null ? `> ${formatMs(result.capMs)} (cap)` : formatMs(value);
  reportTable(
    `3b. Another sign-up's request hangs: how long sign-ups made meanwhile take to settle; recipes composed with timeoutMs ${result.timeoutMs}, clients with a 3 s request timeout`,
    ["service", "how", ...at, "events lost", "duplicated"],
    result.rows.map((row) => [
      row.service,
      row.how,
      ...row.settledMs.map(cell),
      String(row.lost),
      String(row.duplicated),
    ]),
    [
      "Each sign-up sends two events (identify or $identify, and the sign-up event); lost and duplicated count the four sign-ups' events, the hung one's included, at the emulator.",
      "Segment's SDK flushes one batch at a time and sends a batch only once nothing else is pending, so with its batching every later call waits for the hung request; flushAt: 1 sends each call on its own.",
    ],
  );
  const recipes = result.rows.filter(
    (row) => row.how.startsWith("recipe") && !row.how.includes("flushAt 15"),
  );
  const worst = Math.max(...recipes.flatMap((row) => row.settledMs.map((v) => v ?? Infinity)));
  return [
    {
      section: 3,
      goal: "issue 24: while another sign-up's request hangs, a sign-up settles within 1.5 s, nothing lost or duplicated (Segment with flushAt: 1, PostHog)",
      measured: `slowest ${formatMs(worst)}; lost ${recipes.reduce((n, r) => n + r.lost, 0)}, duplicated ${recipes.reduce((n, r) => n + r.duplicated, 0)}`,
      met: worst <= 1500 && recipes.every((row) => row.lost === 0 && row.duplicated === 0),
    },
  ];
}

export function printHung(result: HungResult): Goal[] {
  reportTable(
    `3. A hung upstream (accepts, never answers): time until createUser settles; composed with timeoutMs ${result.timeoutMs}, uncomposed capped at ${formatMs(result.capMs)}; SDK clients with their defaults`,
    [
      "hung upstream",
      "composeEvents (5 recipes)",
      "reported to onError",
      "others delivered",
      "next sign-up after recovery",
      "handler alone, uncomposed",
    ],
    result.rows.map((row) => [
      `${row.upstream} (${row.recipe})`,
      ms(row.composedMs),
      row.composedReportedFailure ? "yes" : "NO",
      row.othersDelivered ? "yes" : "NO",
      `${ms(row.recoveryMs)}${row.recovered ? "" : " FAILED"}`,
      row.uncomposedMs === null
        ? `> ${formatMs(result.capMs)} (cap)`
        : `${formatMs(row.uncomposedMs)} (${row.uncomposedOutcome})`,
    ]),
    [
      "SDK defaults: nodemailer waits 30 s for a greeting, Stripe 80 s per request with 2 retries, Slack's WebClient has no timeout and retries for about 30 minutes, Segment's client 10 s per request with 10 retries, PostHog's 10 s per request with 3 retries 3 s apart.",
      ...result.rows.map(
        (row) => `${row.upstream} hung → reported as ${row.reportedAs.join(" | ")}`,
      ),
      ...result.rows.flatMap((row) => row.notes.map((note) => `${row.upstream} hung → ${note}`)),
    ],
  );
  const worst = Math.max(...result.rows.map((row) => row.composedMs.max));
  const bounded = worst <= result.timeoutMs * 1.1;
  return [
    {
      section: 3,
      goal: `a hung upstream: composed settles within timeoutMs (${result.timeoutMs} ms); uncomposed with SDK defaults`,
      measured: `composed ${formatMs(worst)} at worst; uncomposed ${result.rows
        .map((row) =>
          row.uncomposedMs === null
            ? `${row.upstream} > ${formatMs(result.capMs)}`
            : `${row.upstream} ${formatMs(row.uncomposedMs)}`,
        )
        .join(", ")}`,
      met: bounded,
    },
    {
      section: 3,
      goal: "check: while one upstream hangs the other recipes deliver, and the next sign-up after it recovers delivers everywhere",
      measured: result.rows
        .map(
          (row) =>
            `${row.upstream}: ${row.othersDelivered ? "others delivered" : "others NOT delivered"}, ${row.recovered ? "recovered" : "NOT recovered"}`,
        )
        .join("; "),
      met: result.rows.every(
        (row) => row.composedReportedFailure && row.othersDelivered && row.recovered,
      ),
      note:
        result.rows
          .filter((row) => !row.recovered || !row.othersDelivered)
          .map(
            (row) =>
              `after ${row.upstream} hung (the request cut, the upstream answering again), the next sign-up took ${formatMs(row.recoveryMs.median)}: ${row.notes.join("; ") || "a delivery was missing"}`,
          )
          .join(". ") || undefined,
    },
  ];
}

export function printThroughput(result: ThroughputResult): Goal[] {
  const series = result.heapSeries;
  const middle = series[Math.floor((series.length - 1) / 2)]!;
  const last = series[series.length - 1]!;
  // A leak grows the heap in proportion to the events; warm-up effects (JIT code, pools) level off.
  const secondHalf = (last.heapBytes - middle.heapBytes) / Math.max(1, last.events - middle.events);
  reportTable(
    `4. Throughput and memory: ${result.events} createUser events through the four recipes, ${result.concurrency} in flight, emulators without delay`,
    ["figure", "value"],
    [
      ["events per second", result.eventsPerSecond.toFixed(0)],
      ["wall time", formatMs(result.seconds * 1000)],
      ["CPU per event, app process", formatMs(result.cpuMsPerEvent)],
      ["CPU per event, emulators", formatMs(result.emulatorCpuMsPerEvent)],
      [
        "peak RSS (sampled / kernel max)",
        `${mib(result.peakRssBytes)} / ${mib(result.maxRssBytes)}`,
      ],
      [
        "heap after GC at each checkpoint",
        `${result.heapSeries.map((point) => (point.heapBytes / 2 ** 20).toFixed(2)).join(" → ")} MiB after ${result.heapSeries.map((point) => point.events).join("/")} events`,
      ],
      [
        "heap growth",
        `${(result.heapGrowthBytes / 1024).toFixed(0)} KiB (${(result.heapGrowthBytes / result.events).toFixed(1)} B per event); second half ${secondHalf.toFixed(1)} B per event`,
      ],
      ["unhandled rejections", String(result.unhandledRejections)],
      [
        "handler outcomes",
        `${result.outcomes.fulfilled} fulfilled, ${result.outcomes.rejected} rejected, ${result.outcomes.skipped} skipped`,
      ],
      ...result.deliveries.map((d) => [
        d.what,
        `${d.exactlyOnce}/${d.expected} exactly once, ${d.missing} missing, ${d.duplicated} duplicated`,
      ]),
    ],
    [
      `Deliveries are counted at the emulators per user, the ${result.warmup} warm-up events included.`,
      "The load runs in a child process so that RSS and heap are the app's alone; emulators and load share the machine's cores.",
      `The heap is measured after the warm-up and after each of the ${series.length - 1} parts of the run, once the clients' 3 s request timers have expired, after GC.`,
      ...(result.errors.length ? [`errors: ${result.errors.join("; ")}`] : []),
    ],
    "left",
  );
  // Under 1 KiB per 10 events of the run: a real leak of per-event state (a user, a message, a
  // request) is larger than that, and JIT code and pools settle within it.
  const noGrowth = result.heapGrowthBytes / result.events < 100;
  return [
    {
      section: 4,
      goal: "no heap growth after GC (under 100 B per event)",
      measured: `${(result.heapGrowthBytes / 1024).toFixed(0)} KiB over ${result.events} events (${(result.heapGrowthBytes / result.events).toFixed(1)} B per event; second half ${secondHalf.toFixed(1)} B per event)`,
      met: noGrowth,
    },
    {
      section: 4,
      goal: "zero unhandled rejections, every delivery arrived exactly once",
      measured: `${result.unhandledRejections} unhandled; ${result.deliveries.filter((d) => d.exactlyOnce === d.expected).length}/${result.deliveries.length} kinds of delivery exactly once per user`,
      met: result.exactlyOnce,
    },
  ];
}

export function printSizes(sizes: readonly SizeRow[], imports: readonly ImportRow[]): Goal[] {
  reportTable(
    "5. Size: each package's ESM build, bundled with its dependencies left out, minified by esbuild, gzip -9",
    ["package", "minified", "min+gzip", "budget", "with core, min+gzip"],
    sizes.map((row) => [
      row.package,
      `${row.minifiedBytes} B`,
      formatBytes(row.gzipBytes),
      row.budgetBytes === undefined
        ? "none"
        : `${row.budgetBytes} B ${row.withinBudget ? "ok" : "EXCEEDED"}`,
      row.package === "@auth-recipes/core" ? "" : formatBytes(row.withCoreGzipBytes),
    ]),
  );
  reportTable(
    "   import time in a fresh process (ESM loader warmed on an empty file), median (p25–p75)",
    [
      "package",
      "package alone",
      "its SDK alone",
      "SDK + package",
      "package / SDK",
      "(SDK + package) / SDK",
    ],
    imports.map((row) => [
      row.package,
      ms(row.packageMs),
      row.sdkMs ? `${ms(row.sdkMs)} ${row.sdk}` : "(no SDK)",
      row.bothMs ? ms(row.bothMs) : "",
      row.packageVsSdk ? ratio(row.packageVsSdk) : "",
      row.bothVsSdk ? ratio(row.bothVsSdk) : "",
    ]),
  );
  const core = sizes.find((row) => row.package === "@auth-recipes/core");
  const goals: Goal[] = [];
  if (core) {
    const met = core.gzipBytes <= 2048;
    goals.push({
      section: 5,
      goal: "core ≤ 2 KB min+gzip (2048 B)",
      measured: `${core.gzipBytes} B`,
      met,
      note: met
        ? undefined
        : `${core.gzipBytes - 2048} B (${((core.gzipBytes / 2048 - 1) * 100).toFixed(0)}%) over 2048 B: core carries option validation with messages that name the option, redaction of email addresses and secrets in error messages, and the retry policy with backoff and jitter. Budget in CI: ${SIZE_BUDGETS["@auth-recipes/core"]} B.`,
    });
  }
  for (const row of sizes) {
    goals.push({
      section: 5,
      goal: `budget: ${row.package} within its size budget (asserted)`,
      measured: `${row.gzipBytes} B of ${row.budgetBytes ?? "no budget"}`,
      met: row.withinBudget,
    });
  }
  return goals;
}

export function printGoals(goals: readonly Goal[]): void {
  reportTable(
    "Goals",
    ["§", "goal", "measured (median, p25–p75)", "met"],
    goals.map((goal) => [String(goal.section), goal.goal, goal.measured, goal.met ? "yes" : "NO"]),
    goals
      .filter((goal) => !goal.met && goal.note)
      .map((goal) => `§${goal.section} ${goal.goal}: ${goal.note}`),
    "left",
  );
}
