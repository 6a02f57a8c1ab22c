// Turns bench/results.json (written by `pnpm bench`) into the figures the site shows. Every section is
// optional: a quick run, a crashed section or an older file shows what it has and leaves the rest out.

/** A summary of repeated samples, as the bench writes it. */
export interface Summary {
  median: number;
  p25: number;
  p75: number;
  n?: number;
}

interface DispatchRow {
  handlers: number;
  perCallMs: Record<string, Summary>;
  vsAllSettled?: Record<string, Summary>;
  addedPerHandlerMs?: Summary;
}

interface LatencyRow {
  setup: string;
  delayMs: number;
  aloneMs: Record<string, Summary>;
  slowestMs?: Summary;
  sumMs?: Summary;
  composedMs: Summary;
  sequentialMs: Summary;
  waitUntilMs?: Summary;
  waitUntilSettledMs?: Summary;
  sequentialVsComposed?: Summary;
  composedVsSlowest?: Summary;
}

interface HungRow {
  upstream: string;
  recipe: string;
  composedMs: Summary;
  /** Whether the hung recipe's failure reached onError (older results: `composedReportedTimeout`). */
  composedReportedFailure?: boolean;
  composedReportedTimeout?: boolean;
  othersDelivered?: boolean;
  /** Whether the next sign-up, once the service answered again, went through. */
  recovered?: boolean;
  uncomposedMs: Summary | null;
  uncomposedOutcome?: string;
}

interface Throughput {
  events: number;
  concurrency: number;
  eventsPerSecond: number;
  cpuMsPerEvent?: number;
  peakRssBytes?: number;
  heapGrowthBytes?: number;
  /** The heap after GC after the warm-up and after each quarter of the run. */
  heapSeries?: { events: number; heapBytes: number }[];
  unhandledRejections?: number;
  deliveries?: {
    what: string;
    expected: number;
    exactlyOnce: number;
    missing: number;
    duplicated: number;
  }[];
  exactlyOnce?: boolean;
}

interface SizeRow {
  package: string;
  minifiedBytes: number;
  gzipBytes: number;
  withCoreGzipBytes?: number;
  budgetBytes?: number;
}

interface ImportRow {
  package: string;
  sdk?: string;
  packageMs: Summary;
  sdkMs?: Summary;
  bothMs?: Summary;
}

interface QueueThroughput {
  workers: number;
  signups: number;
  seconds: number;
  signupsPerSecond: number;
}

interface QueueChaos {
  signups: number;
  workerKills: number;
  redisRestarts: number;
  inlineFallbacks: number;
  inlineFailed?: Record<string, number>;
  skipped?: Record<string, number>;
  deadLetters?: Record<string, number>;
  services: { service: string; expected: number; lost: number; duplicates: number }[];
  seconds: number;
}

/** Section 6: durable dispatch through `@auth-recipes/bullmq`, against dispatch in the web process. */
interface QueueSection {
  delayMs: number;
  inProcessMs: Summary;
  enqueuedMs: Summary;
  inProcessCpuMs?: Summary;
  enqueuedCpuMs?: Summary;
  cpuRatio?: Summary;
  throughput?: QueueThroughput[];
  scaling?: number;
  chaos?: QueueChaos;
}

interface Goal {
  section: number;
  goal: string;
  measured: string;
  met: boolean;
  note?: string;
}

/** The parts of bench/results.json the site reads. */
export interface BenchResults {
  machine?: {
    cpu?: string;
    cores?: number;
    memoryGiB?: number;
    node?: string;
    os?: string;
    date?: string;
    commit?: string;
  };
  settings?: { hung?: { timeoutMs?: number; capMs?: number } };
  dispatch?: DispatchRow[];
  latency?: LatencyRow[];
  hung?: { timeoutMs?: number; capMs?: number; rows: HungRow[] };
  throughput?: Throughput;
  size?: SizeRow[];
  importTime?: ImportRow[];
  queue?: QueueSection;
  goals?: Goal[];
}

/** A figure for the home page: the value, what it measures, and how. */
export interface Headline {
  value: string;
  label: string;
  detail: string;
}

/** A table for the benchmarks page. */
export interface Table {
  title: string;
  intro?: string;
  header: string[];
  rows: string[][];
}

/** A duration: `668 ns`, `1.22 ms`, `106 ms`, `1.03 s`. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return "–";
  if (ms < 0.001) return `${(ms * 1e6).toPrecision(3)} ns`;
  if (ms < 1) return `${(ms * 1e3).toPrecision(3)} µs`;
  if (ms < 1000) return `${ms.toPrecision(3)} ms`;
  return `${(ms / 1000).toPrecision(3)} s`;
}

/** A median with its interquartile range: `106 ms (105–108 ms)`. */
export function formatSummary(summary: Summary | null | undefined, format = formatMs): string {
  if (!summary) return "–";
  return `${format(summary.median)} (${format(summary.p25)} – ${format(summary.p75)})`;
}

const ratio = (x: number) => `${x.toPrecision(3)}×`;
const yesNo = (value: boolean | undefined) => (value === undefined ? "–" : value ? "yes" : "no");

/** A byte count: `2474 B (2.42 KiB)`. */
export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes)) return "–";
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes)} B (${(bytes / 1024).toFixed(2)} KiB)`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** The few figures the home page shows, from whatever sections the results have. */
export function headlines(results: BenchResults): Headline[] {
  const out: Headline[] = [];
  const latency = results.latency?.[0];
  if (latency?.sequentialVsComposed) {
    out.push({
      value: `${ratio(latency.sequentialVsComposed.median)} faster`,
      label: "sign-up with four recipes",
      detail: `${formatMs(latency.composedMs.median)} composed instead of ${formatMs(latency.sequentialMs.median)} awaited one after another, each service answering ${latency.delayMs} ms late`,
    });
  }
  if (latency?.waitUntilMs) {
    out.push({
      value: formatMs(latency.waitUntilMs.median),
      label: "to answer, with waitUntil",
      detail: `the side effects finish after ${formatMs(latency.waitUntilSettledMs?.median ?? Number.NaN)}, off the response path`,
    });
  }
  const hung = results.hung;
  if (hung?.rows.length) {
    const worst = Math.max(...hung.rows.map((row) => row.composedMs.median));
    const cap = hung.capMs ?? results.settings?.hung?.capMs;
    out.push({
      value: formatMs(worst),
      label: "worst sign-up with a hung service",
      detail: `with timeoutMs: ${hung.timeoutMs ?? 1000}; called directly with the SDKs' defaults, each hung service held the call${cap ? ` past the ${formatMs(cap)} cap` : ""}`,
    });
  }
  const dispatch = results.dispatch?.find((row) => row.handlers === 4) ?? results.dispatch?.[0];
  if (dispatch?.addedPerHandlerMs) {
    out.push({
      value: `+${formatMs(dispatch.addedPerHandlerMs.median)}`,
      label: "per handler, per call",
      detail: `composeEvents' own cost over a bare Promise.allSettled (${dispatch.handlers} no-op handlers), against milliseconds of I/O per real handler`,
    });
  }
  const core = results.size?.find((row) => row.package === "@auth-recipes/core");
  if (core) {
    out.push({
      value: `${(core.gzipBytes / 1024).toFixed(2)} KiB`,
      label: "core, minified and gzipped",
      detail: "no dependencies; each recipe adds about as much again, its SDK left out",
    });
  }
  const throughput = results.throughput;
  if (throughput) {
    out.push({
      value: `${Math.round(throughput.eventsPerSecond)}/s`,
      label: "sign-ups through all four recipes",
      detail: `${throughput.events.toLocaleString("en-US")} sign-ups, ${throughput.concurrency} at a time, on the emulators${throughput.exactlyOnce ? ": every email, message, customer and track delivered exactly once" : ""}`,
    });
  }
  const queue = results.queue;
  if (queue) {
    const chaos = queue.chaos;
    const lost = chaos?.services.reduce((sum, service) => sum + service.lost, 0);
    out.push({
      value: formatMs(queue.enqueuedMs.median),
      label: "sign-up with the recipes on a queue",
      detail: `createUser only enqueues (BullMQ, Redis on loopback), instead of ${formatMs(queue.inProcessMs.median)} running the four recipes in the web process${chaos ? `; ${chaos.signups.toLocaleString("en-US")} sign-ups through killed workers and a Redis restart: ${lost} lost` : ""}`,
    });
  }
  return out;
}

const counts = (byRecipe: Record<string, number> | undefined) =>
  Object.entries(byRecipe ?? {})
    .map(([recipe, n]) => `${recipe} ${n}`)
    .join(", ") || "none";

/** Section 6's rows: latency and CPU of the web process, worker throughput, and the chaos run. */
function queueTable(queue: QueueSection): Table {
  const rows: string[][] = [
    ["createUser, the four recipes in-process", formatSummary(queue.inProcessMs)],
    ["createUser, enqueued (one addBulk)", formatSummary(queue.enqueuedMs)],
  ];
  if (queue.inProcessCpuMs && queue.enqueuedCpuMs) {
    rows.push(
      ["web-process CPU per sign-up, in-process", formatSummary(queue.inProcessCpuMs)],
      ["web-process CPU per sign-up, enqueued", formatSummary(queue.enqueuedCpuMs)],
    );
  }
  if (queue.cpuRatio)
    rows.push(["CPU in-process ÷ enqueued", formatSummary(queue.cpuRatio, ratio)]);
  for (const run of queue.throughput ?? []) {
    rows.push([
      `worker throughput, ${run.workers} worker process${run.workers === 1 ? "" : "es"}`,
      `${Math.round(run.signupsPerSecond)} sign-ups/s (${(run.signups * 4).toLocaleString("en-US")} jobs in ${run.seconds.toFixed(1)} s)`,
    ]);
  }
  if (queue.scaling !== undefined) rows.push(["two workers ÷ one", ratio(queue.scaling)]);
  const chaos = queue.chaos;
  if (chaos) {
    rows.push(
      [
        "chaos run",
        `${chaos.signups.toLocaleString("en-US")} sign-ups, ${chaos.workerKills} worker SIGKILLs, ${chaos.redisRestarts} Redis restart${chaos.redisRestarts === 1 ? "" : "s"}, ${chaos.inlineFallbacks} in-process fallbacks, ${Math.round(chaos.seconds)} s`,
      ],
      ["chaos: fallback runs that failed", counts(chaos.inlineFailed)],
      ["chaos: dead letters (failed jobs kept to retry)", counts(chaos.deadLetters)],
      ...chaos.services.map((service) => [
        `chaos: ${service.service}`,
        `${(service.expected - service.lost).toLocaleString("en-US")} of ${service.expected.toLocaleString("en-US")} delivered; ${service.lost} lost, ${service.duplicates} duplicated`,
      ]),
    );
  }
  return {
    title: "Durable dispatch (@auth-recipes/bullmq)",
    intro: `The four recipes run by workers from a BullMQ queue, against running them in the web process; every upstream answers ${queue.delayMs} ms late for the latency rows. Median (p25 – p75).`,
    header: ["measure", "value"],
    rows,
  };
}

/** Every table of the benchmarks page, in the bench's section order. */
export function tables(results: BenchResults): Table[] {
  const out: Table[] = [];
  for (const row of results.latency ?? []) {
    out.push({
      title: `Latency under I/O: ${row.setup}`,
      intro: `The four recipes against the emulators, every upstream answering ${row.delayMs} ms late. Median (p25 – p75).`,
      header: ["what", "time"],
      rows: [
        ...Object.entries(row.aloneMs).map(([recipe, summary]) => [
          `${recipe} alone`,
          formatSummary(summary),
        ]),
        ["composed (composeEvents)", formatSummary(row.composedMs)],
        ["awaited one after another", formatSummary(row.sequentialMs)],
        ...(row.waitUntilMs
          ? [["composed with waitUntil: to return", formatSummary(row.waitUntilMs)]]
          : []),
        ...(row.waitUntilSettledMs
          ? [["composed with waitUntil: side effects done", formatSummary(row.waitUntilSettledMs)]]
          : []),
        ...(row.sequentialVsComposed
          ? [["one after another ÷ composed", formatSummary(row.sequentialVsComposed, ratio)]]
          : []),
      ],
    });
  }
  if (results.hung?.rows.length) {
    const { timeoutMs = 1000 } = results.hung;
    const cap = results.hung.capMs ?? results.settings?.hung?.capMs;
    out.push({
      title: "A hung upstream",
      intro: `Each service in turn accepts requests and never answers. Composed: all four recipes, timeoutMs: ${timeoutMs}. Uncomposed: the recipe's handler called directly, SDK clients with their defaults.`,
      header: [
        "hung service",
        "composed: settles in",
        "failure reported",
        "others delivered",
        "next sign-up fine",
        "uncomposed",
      ],
      rows: results.hung.rows.map((row) => [
        row.upstream,
        formatSummary(row.composedMs),
        yesNo(row.composedReportedFailure ?? row.composedReportedTimeout),
        yesNo(row.othersDelivered),
        yesNo(row.recovered),
        row.uncomposedMs
          ? formatSummary(row.uncomposedMs)
          : (row.uncomposedOutcome?.replace("cap", cap ? formatMs(cap) : "the cap") ?? "–"),
      ]),
    });
  }
  if (results.dispatch?.length) {
    const variants = Object.keys(results.dispatch[0]?.perCallMs ?? {});
    out.push({
      title: "Dispatch overhead, no I/O",
      intro:
        "One call with N no-op async handlers: time per call (median), and composeEvents' added cost per handler over a bare Promise.allSettled.",
      header: ["handlers", ...variants, "added per handler"],
      rows: results.dispatch.map((row) => [
        String(row.handlers),
        ...variants.map((variant) => formatMs(row.perCallMs[variant]?.median ?? Number.NaN)),
        row.addedPerHandlerMs ? formatMs(row.addedPerHandlerMs.median) : "–",
      ]),
    });
  }
  const throughput = results.throughput;
  if (throughput) {
    out.push({
      title: "Throughput and memory",
      intro: `${throughput.events.toLocaleString("en-US")} sign-ups through all four recipes, ${throughput.concurrency} in flight, in a process of their own.`,
      header: ["measure", "value"],
      rows: [
        ["sign-ups per second", Math.round(throughput.eventsPerSecond).toString()],
        ["CPU per sign-up", formatMs(throughput.cpuMsPerEvent ?? Number.NaN)],
        ["peak RSS", formatBytes(throughput.peakRssBytes)],
        ["heap growth after GC", formatBytes(throughput.heapGrowthBytes)],
        ["unhandled rejections", String(throughput.unhandledRejections ?? "–")],
        ...(throughput.deliveries ?? []).map((d) => [
          d.what,
          `${d.exactlyOnce} of ${d.expected} exactly once; ${d.missing} missing, ${d.duplicated} duplicated`,
        ]),
      ],
    });
  }
  if (results.size?.length) {
    out.push({
      title: "Bundle size",
      intro:
        "Each package's ESM build, its dependencies and SDK left out, minified (esbuild) and gzipped (level 9).",
      header: ["package", "minified", "min + gzip", "with core, min + gzip", "budget"],
      rows: results.size.map((row) => [
        row.package,
        formatBytes(row.minifiedBytes),
        formatBytes(row.gzipBytes),
        formatBytes(row.withCoreGzipBytes),
        row.budgetBytes ? formatBytes(row.budgetBytes) : "–",
      ]),
    });
  }
  if (results.importTime?.length) {
    out.push({
      title: "Import time",
      intro: "In fresh node processes: the package, its SDK alone, and both. Median (p25 – p75).",
      header: ["package", "package", "SDK", "both"],
      rows: results.importTime.map((row) => [
        row.sdk ? `${row.package} (${row.sdk})` : row.package,
        formatSummary(row.packageMs),
        formatSummary(row.sdkMs),
        formatSummary(row.bothMs),
      ]),
    });
  }
  if (results.queue) out.push(queueTable(results.queue));
  if (results.goals?.length) {
    out.push({
      title: "Goals",
      intro: "What the bench checks each figure against; a goal missed says by how much and why.",
      header: ["goal", "measured", "met", "note"],
      rows: results.goals.map((goal) => [
        goal.goal,
        goal.measured,
        goal.met ? "yes" : "no",
        goal.note ?? "",
      ]),
    });
  }
  return out;
}

/** "Measured on …": the machine and the run, for a caption. */
export function provenance(results: BenchResults): string {
  const m = results.machine;
  if (!m) return "";
  const parts = [
    m.cpu &&
      `${m.cpu}${m.cores ? `, ${m.cores} cores` : ""}${m.memoryGiB ? `, ${m.memoryGiB} GiB` : ""}`,
    m.node && `Node ${m.node}`,
    m.os,
    m.date?.slice(0, 10),
    m.commit && `commit ${m.commit}`,
  ].filter(Boolean);
  return `Measured on ${parts.join(", ")}.`;
}
