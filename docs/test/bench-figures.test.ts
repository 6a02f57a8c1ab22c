// The benchmark figures the pages show, from bench/results.json shapes old and new, whole and partial.
import { describe, expect, it } from "vitest";
import {
  type BenchResults,
  formatBytes,
  formatMs,
  headlines,
  provenance,
  tables,
} from "../.vitepress/theme/bench.ts";

const summary = (median: number) => ({ median, p25: median * 0.9, p75: median * 1.1 });

const results: BenchResults = {
  machine: {
    cpu: "Test CPU",
    cores: 2,
    node: "v20.20.2",
    date: "2026-01-02T03:04:05Z",
    commit: "abc1234",
  },
  latency: [
    {
      setup: "recipe defaults",
      delayMs: 50,
      aloneMs: { slack: summary(52) },
      composedMs: summary(106),
      sequentialMs: summary(265),
      waitUntilMs: summary(1.2),
      waitUntilSettledMs: summary(106),
      sequentialVsComposed: summary(2.5),
    },
  ],
  hung: {
    timeoutMs: 1000,
    capMs: 10_000,
    rows: [
      {
        upstream: "slack",
        recipe: "slack",
        composedMs: summary(1010),
        composedReportedTimeout: true, // the older name
        othersDelivered: true,
        uncomposedMs: null,
        uncomposedOutcome: "> cap",
      },
      {
        upstream: "stripe",
        recipe: "stripe-customer",
        composedMs: summary(1002),
        composedReportedFailure: false,
        othersDelivered: true,
        recovered: true,
        uncomposedMs: null,
        uncomposedOutcome: "> cap",
      },
    ],
  },
  size: [{ package: "@auth-recipes/core", minifiedBytes: 5032, gzipBytes: 2474 }],
};

const queue: NonNullable<BenchResults["queue"]> = {
  delayMs: 50,
  inProcessMs: summary(76.1),
  enqueuedMs: summary(2.77),
  cpuRatio: summary(10.5),
  throughput: [
    { workers: 1, signups: 1000, seconds: 10, signupsPerSecond: 100 },
    { workers: 2, signups: 1000, seconds: 9.9, signupsPerSecond: 101 },
  ],
  scaling: 1.01,
  chaos: {
    signups: 5000,
    workerKills: 20,
    redisRestarts: 1,
    inlineFallbacks: 12,
    inlineFailed: {},
    deadLetters: { slack: 1 },
    services: [
      { service: "smtp (welcome emails)", expected: 5000, lost: 0, duplicates: 3 },
      { service: "stripe (customers)", expected: 5000, lost: 1, duplicates: 0 },
    ],
    seconds: 61.4,
  },
};

describe("benchmark figures", () => {
  it("formats durations and sizes in the unit that reads best", () => {
    expect([formatMs(0.000592), formatMs(0.0035), formatMs(106.5), formatMs(1010)]).toEqual([
      "592 ns",
      "3.50 µs",
      "107 ms",
      "1.01 s",
    ]);
    expect([formatBytes(900), formatBytes(2474), formatBytes(undefined)]).toEqual([
      "900 B",
      "2474 B (2.42 KiB)",
      "–",
    ]);
  });

  it("makes the home page's headlines from the sections present", () => {
    const values = headlines(results).map((headline) => headline.value);
    expect(values).toEqual(["2.50× faster", "1.20 ms", "1.01 s", "2.42 KiB"]);
    expect(headlines({})).toEqual([]);
  });

  it("reads both shapes of the hung-upstream rows and shows the cap", () => {
    const hung = tables(results).find((table) => table.title === "A hung upstream");
    expect(hung?.rows.map((row) => row.slice(2))).toEqual([
      ["yes", "yes", "–", "> 10.0 s"],
      ["no", "yes", "yes", "> 10.0 s"],
    ]);
  });

  it("shows durable dispatch: the sign-up's wait, the workers and what the chaos run lost", () => {
    const withQueue = { ...results, queue };
    expect(headlines(withQueue).at(-1)).toMatchObject({
      value: "2.77 ms",
      label: "sign-up with the recipes on a queue",
    });
    expect(headlines(withQueue).at(-1)?.detail).toContain(
      "instead of 76.1 ms running the four recipes in the web process; 5,000 sign-ups through killed workers and a Redis restart: 1 lost",
    );
    const table = tables(withQueue).find((t) => t.title.startsWith("Durable dispatch"));
    expect(Object.fromEntries(table?.rows ?? [])).toMatchObject({
      "createUser, enqueued (one addBulk)": "2.77 ms (2.49 ms – 3.05 ms)",
      "CPU in-process ÷ enqueued": "10.5× (9.45× – 11.6×)",
      "worker throughput, 2 worker processes": "101 sign-ups/s (4,000 jobs in 9.9 s)",
      "two workers ÷ one": "1.01×",
      "chaos: dead letters (failed jobs kept to retry)": "slack 1",
      "chaos: fallback runs that failed": "none",
      "chaos: stripe (customers)": "4,999 of 5,000 delivered; 1 lost, 0 duplicated",
    });
    // Without the section, no table and no headline for it.
    expect(tables(results).some((t) => t.title.startsWith("Durable dispatch"))).toBe(false);
  });

  it("says where the figures were measured", () => {
    expect(provenance(results)).toBe(
      "Measured on Test CPU, 2 cores, Node v20.20.2, 2026-01-02, commit abc1234.",
    );
    expect(provenance({})).toBe("");
  });
});
