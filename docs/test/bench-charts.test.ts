// The benchmark charts' models and layout, from bench/results.json shapes whole and partial.
import { describe, expect, it } from "vitest";
import type { BenchResults } from "../.vitepress/theme/bench.ts";
import {
  barCharts,
  layoutBars,
  layoutLine,
  throughputChart,
} from "../.vitepress/theme/bench-charts.ts";

const summary = (median: number) => ({ median, p25: median * 0.9, p75: median * 1.1 });

const results: BenchResults = {
  latency: [
    {
      setup: "recipe defaults",
      delayMs: 50,
      aloneMs: { slack: summary(52) },
      slowestMs: summary(103),
      composedMs: summary(106),
      sequentialMs: summary(263),
      waitUntilMs: summary(1.2),
    },
  ],
  dispatch: [
    {
      handlers: 1,
      perCallMs: {
        composeEvents: summary(0.0006),
        "Promise.allSettled": summary(0.0004),
        emittery: summary(0.0013),
      },
    },
    {
      handlers: 4,
      perCallMs: {
        composeEvents: summary(0.002),
        "Promise.allSettled": summary(0.0011),
        emittery: summary(0.0017),
      },
    },
  ],
  throughput: {
    events: 10_000,
    concurrency: 32,
    eventsPerSecond: 339.9,
    cpuMsPerEvent: 2.9,
    heapSeries: [
      { events: 0, heapBytes: 29_000_000 },
      { events: 5000, heapBytes: 29_200_000 },
      { events: 10_000, heapBytes: 29_400_000 },
    ],
  },
};

describe("benchmark charts", () => {
  it("makes the latency and dispatch bar charts, composeEvents as ours", () => {
    const [latency, dispatch] = barCharts(results);
    expect(latency?.groups[0]?.bars.map((bar) => [bar.label, bar.text, bar.tone])).toEqual([
      ["composed, waitUntil: response", "1.20 ms", "ours"],
      ["composed (composeEvents)", "106 ms", "ours"],
      ["slowest recipe alone", "103 ms", "baseline"],
      ["awaited one after another", "263 ms", "other"],
    ]);
    expect(dispatch?.groups.map((group) => group.label)).toEqual(["1 handler", "4 handlers"]);
    expect(dispatch?.groups[1]?.bars.map((bar) => [bar.label, bar.text, bar.tone])).toEqual([
      ["composeEvents", "2.00 µs", "ours"],
      ["Promise.allSettled", "1.10 µs", "baseline"],
      ["emittery", "1.70 µs", "other"],
    ]);
  });

  it("draws bars to scale within a group, the longest whisker filling the width", () => {
    const [latency] = barCharts(results);
    const layout = layoutBars(latency!, 680);
    const width = (label: string) => layout.bars.find((bar) => bar.label === label)!.barWidth;
    expect(width("awaited one after another") / width("composed (composeEvents)")).toBeCloseTo(
      263 / 106,
      5,
    );
    const right = Math.max(...layout.bars.map((bar) => bar.whisker?.[1] ?? 0));
    expect(right).toBeCloseTo(680 - 78, 5);
    // Rows never overlap.
    const ys = layout.bars.map((bar) => bar.y);
    for (let i = 1; i < ys.length; i++) expect(ys[i]! - ys[i - 1]!).toBeGreaterThanOrEqual(18);
    expect(layout.height).toBeGreaterThan(ys.at(-1)! + 18);
  });

  it("plots the heap from zero, so a flat run looks flat", () => {
    const chart = throughputChart(results)!;
    expect(chart.title).toContain("340 sign-ups per second");
    const layout = layoutLine(chart, 680, 240);
    expect(layout.points.map((point) => point.label)).toEqual(["27.7 MiB", "27.8 MiB", "28.0 MiB"]);
    const ys = layout.points.map((point) => point.y);
    expect(Math.max(...ys) - Math.min(...ys)).toBeLessThan(5);
    expect(layout.yTicks.at(0)?.label).toBe("0.0 MiB");
    expect(layout.path.startsWith("M80.0,")).toBe(true);
  });

  it("charts durable dispatch: the enqueued sign-up against the recipes run in-process", () => {
    const queue = {
      delayMs: 50,
      inProcessMs: summary(76),
      enqueuedMs: summary(2.5),
      inProcessCpuMs: summary(21),
      enqueuedCpuMs: summary(2),
    };
    const chart = barCharts({ queue }).find((c) => c.id === "queue");
    expect(
      chart?.groups.map((group) => group.bars.map((bar) => [bar.label, bar.text, bar.tone])),
    ).toEqual([
      [
        ["enqueued (@auth-recipes/bullmq)", "2.50 ms", "ours"],
        ["in-process (composeEvents)", "76.0 ms", "baseline"],
      ],
      [
        ["enqueued", "2.00 ms", "ours"],
        ["in-process", "21.0 ms", "baseline"],
      ],
    ]);
    const layout = layoutBars(chart!, 680);
    expect(layout.bars[1]!.barWidth / layout.bars[0]!.barWidth).toBeCloseTo(76 / 2.5, 5);
    // An older file without the CPU figures: the latency group alone.
    const { inProcessCpuMs: _, enqueuedCpuMs: __, ...latencyOnly } = queue;
    expect(barCharts({ queue: latencyOnly })[0]?.groups).toHaveLength(1);
  });

  it("leaves out what the results do not have", () => {
    expect(barCharts({})).toEqual([]);
    expect(throughputChart({})).toBeUndefined();
    expect(barCharts({ dispatch: results.dispatch }).map((chart) => chart.id)).toEqual([
      "dispatch",
    ]);
  });
});
