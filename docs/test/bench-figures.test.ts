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

  it("says where the figures were measured", () => {
    expect(provenance(results)).toBe(
      "Measured on Test CPU, 2 cores, Node v20.20.2, 2026-01-02, commit abc1234.",
    );
    expect(provenance({})).toBe("");
  });
});
