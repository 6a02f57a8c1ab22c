// The benchmark page's charts, computed from bench/results.json at build time and drawn as inline SVG
// by BenchCharts.vue: no script, no network, no chart library. Here are the models and their layout,
// as plain functions, so tests can check what each chart says without a browser.
import { type BenchResults, formatMs, type Summary } from "./bench.ts";

/** How a bar is coloured: ours, the baseline it is compared with, or an alternative. */
export type Tone = "ours" | "baseline" | "other";

/** One bar: a median with its interquartile range. */
export interface Bar {
  label: string;
  value: number;
  p25?: number;
  p75?: number;
  text: string;
  tone: Tone;
}

/** Bars that share one scale (one handler count, one setup). */
export interface BarGroup {
  label: string;
  bars: Bar[];
}

/** A horizontal bar chart. */
export interface BarChart {
  id: string;
  title: string;
  caption: string;
  groups: BarGroup[];
}

/** A line chart of one series (the heap over a run). */
export interface LineChart {
  id: string;
  title: string;
  caption: string;
  xLabel: string;
  points: { x: number; y: number }[];
  formatY: (y: number) => string;
}

const bar = (label: string, summary: Summary, tone: Tone, format = formatMs): Bar => ({
  label,
  value: summary.median,
  p25: summary.p25,
  p75: summary.p75,
  text: format(summary.median),
  tone,
});

/** The bar charts the results allow, in the page's order; sections that are absent are left out. */
export function barCharts(results: BenchResults): BarChart[] {
  const out: BarChart[] = [];
  if (results.latency?.length) {
    out.push({
      id: "latency",
      title: "Sign-up latency: composed against one after another",
      caption: `The four recipes on the emulators, every upstream answering ${results.latency[0]!.delayMs} ms late. Median, whiskers p25–p75.`,
      groups: results.latency.map((row) => ({
        label: row.setup,
        bars: [
          ...(row.waitUntilMs
            ? [bar("composed, waitUntil: response", row.waitUntilMs, "ours")]
            : []),
          bar("composed (composeEvents)", row.composedMs, "ours"),
          ...(row.slowestMs ? [bar("slowest recipe alone", row.slowestMs, "baseline")] : []),
          bar("awaited one after another", row.sequentialMs, "other"),
        ],
      })),
    });
  }
  const dispatch = results.dispatch ?? [];
  if (dispatch.length) {
    out.push({
      id: "dispatch",
      title: "Dispatch overhead: one call, no-op handlers",
      caption:
        "Time per call, no I/O: what each way of running the handlers costs by itself. composeEvents adds per-handler timeouts, contexts and a report; mitt neither awaits nor catches.",
      groups: dispatch.map((row) => ({
        label: `${row.handlers} handler${row.handlers === 1 ? "" : "s"}`,
        bars: Object.entries(row.perCallMs).map(([variant, summary]) =>
          bar(
            variant,
            summary,
            variant === "composeEvents"
              ? "ours"
              : variant === "Promise.allSettled"
                ? "baseline"
                : "other",
          ),
        ),
      })),
    });
  }
  const queue = results.queue;
  if (queue) {
    out.push({
      id: "queue",
      title: "Sign-up latency: the recipes in-process against enqueued",
      caption: `createUser in a web process of its own, the four recipes run in it or enqueued for BullMQ workers (Redis on loopback), every upstream answering ${queue.delayMs} ms late. Median, whiskers p25–p75.`,
      groups: [
        {
          label: "createUser",
          bars: [
            bar("enqueued (@auth-recipes/bullmq)", queue.enqueuedMs, "ours"),
            bar("in-process (composeEvents)", queue.inProcessMs, "baseline"),
          ],
        },
        ...(queue.inProcessCpuMs && queue.enqueuedCpuMs
          ? [
              {
                label: "web-process CPU per sign-up",
                bars: [
                  bar("enqueued", queue.enqueuedCpuMs, "ours"),
                  bar("in-process", queue.inProcessCpuMs, "baseline"),
                ],
              },
            ]
          : []),
      ],
    });
  }
  return out;
}

/** The throughput run: sign-ups per second, and the heap after GC along the run. */
export function throughputChart(results: BenchResults): LineChart | undefined {
  const throughput = results.throughput;
  const series = throughput?.heapSeries;
  if (!throughput || !series || series.length < 2) return undefined;
  return {
    id: "throughput",
    title: `Throughput: ${Math.round(throughput.eventsPerSecond)} sign-ups per second through all four recipes, and the heap`,
    caption: `${throughput.events.toLocaleString("en-US")} sign-ups, ${throughput.concurrency} in flight, emulators on the same machine, CPU ${formatMs(throughput.cpuMsPerEvent ?? Number.NaN)} per sign-up. Heap after GC after the warm-up and after each quarter: a flat line is no memory kept per sign-up.`,
    xLabel: "sign-ups",
    points: series.map((point) => ({ x: point.events, y: point.heapBytes })),
    formatY: (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`,
  };
}

/** Where each piece of a bar chart goes, in SVG user units. */
export interface BarLayout {
  width: number;
  height: number;
  groups: { label: string; y: number }[];
  bars: (Bar & { y: number; x: number; barWidth: number; whisker?: [number, number] })[];
}

const LABEL_WIDTH = 210;
const VALUE_SPACE = 78;
const BAR_HEIGHT = 18;
const BAR_GAP = 6;
const GROUP_GAP = 30;

/** Lays a bar chart out; each group has its own scale, its longest bar (or whisker) filling the width. */
export function layoutBars(chart: BarChart, width = 680): BarLayout {
  const span = width - LABEL_WIDTH - VALUE_SPACE;
  const layout: BarLayout = { width, height: 0, groups: [], bars: [] };
  let y = 0;
  for (const group of chart.groups) {
    y += GROUP_GAP - 8;
    layout.groups.push({ label: group.label, y });
    y += 8;
    const max = Math.max(...group.bars.map((b) => Math.max(b.value, b.p75 ?? 0)), Number.MIN_VALUE);
    const scale = (value: number) => (Math.max(0, value) / max) * span;
    for (const item of group.bars) {
      layout.bars.push({
        ...item,
        y,
        x: LABEL_WIDTH,
        barWidth: Math.max(1, scale(item.value)),
        ...(item.p25 !== undefined && item.p75 !== undefined
          ? { whisker: [LABEL_WIDTH + scale(item.p25), LABEL_WIDTH + scale(item.p75)] }
          : {}),
      });
      y += BAR_HEIGHT + BAR_GAP;
    }
  }
  layout.height = y + 4;
  return layout;
}

/** Where the line and its labels go, in SVG user units. */
export interface LineLayout {
  width: number;
  height: number;
  path: string;
  points: { x: number; y: number; label: string; xLabel: string }[];
  yTicks: { y: number; label: string }[];
}

/** Lays a line chart out with the y axis from zero, so a flat series looks flat. */
export function layoutLine(chart: LineChart, width = 680, height = 240): LineLayout {
  const left = 80;
  const right = 30;
  const top = 28;
  const bottom = 44;
  const xs = chart.points.map((p) => p.x);
  // Headroom above the highest point for its label, below the top tick's.
  const maxY = Math.max(...chart.points.map((p) => p.y)) * 1.4;
  const minX = Math.min(...xs);
  const spanX = Math.max(...xs) - minX || 1;
  const px = (x: number) => left + ((x - minX) / spanX) * (width - left - right);
  const py = (y: number) => top + (1 - y / maxY) * (height - top - bottom);
  const points = chart.points.map((p) => ({
    x: px(p.x),
    y: py(p.y),
    label: chart.formatY(p.y),
    xLabel: p.x.toLocaleString("en-US"),
  }));
  return {
    width,
    height,
    path: points.map((p, i) => `${i ? "L" : "M"}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(" "),
    points,
    yTicks: [0, 0.5, 1].map((f) => ({ y: py(maxY * f), label: chart.formatY(maxY * f) })),
  };
}
