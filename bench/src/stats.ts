/** A set of repeated samples, summarised robustly: machines are noisy, so medians and quartiles, never means. */
export interface Summary {
  /** The middle sample. */
  median: number;
  /** The first quartile. */
  p25: number;
  /** The third quartile. */
  p75: number;
  /** Median absolute deviation from the median. */
  mad: number;
  /** The smallest and largest samples. */
  min: number;
  max: number;
  /** How many samples. */
  n: number;
}

/** The value at quantile `q` (0–1) of sorted numbers, interpolated linearly between neighbours. */
function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  const a = sorted[low]!;
  const b = sorted[high]!;
  return a + (b - a) * (position - low);
}

/** Summarises samples: median, quartiles, MAD, range and count. */
export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = quantile(sorted, 0.5);
  const deviations = sorted.map((x) => Math.abs(x - median)).sort((a, b) => a - b);
  return {
    median,
    p25: quantile(sorted, 0.25),
    p75: quantile(sorted, 0.75),
    mad: quantile(deviations, 0.5),
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
    n: sorted.length,
  };
}

/**
 * The ratio a/b per round, summarised. Samples taken in the same round share the machine's state at that
 * moment (another process busy, a frequency change), so pairing them cancels most of the drift.
 */
export function ratios(a: readonly number[], b: readonly number[]): Summary {
  return summarize(a.map((x, i) => x / b[i]!));
}

/** Rounds to `digits` significant digits, for JSON that stays readable. */
export function round(value: number, digits = 4): number {
  if (!Number.isFinite(value) || value === 0) return value;
  return Number(value.toPrecision(digits));
}

/** A summary with every figure rounded, for results.json. */
export function rounded(summary: Summary, digits = 4): Summary {
  const out = { ...summary };
  for (const key of ["median", "p25", "p75", "mad", "min", "max"] as const) {
    out[key] = round(out[key], digits);
  }
  return out;
}

/** `1.23 (1.18–1.30)`: median with the interquartile range. */
export function formatSummary(summary: Summary, format: (x: number) => string): string {
  return `${format(summary.median)} (${format(summary.p25)}–${format(summary.p75)})`;
}

/** A duration in ms, printed in the unit that suits it. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 0.001) return `${(ms * 1e6).toFixed(0)} ns`;
  if (ms < 1) return `${(ms * 1000).toFixed(ms < 0.01 ? 2 : 1)} µs`;
  if (ms < 1000) return `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/** A ratio, such as `1.23×`. */
export function formatRatio(x: number): string {
  return `${x.toFixed(x < 10 ? 2 : 1)}×`;
}

/** A byte count: `2345 B (2.29 KiB)`. */
export function formatBytes(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${bytes} B (${(bytes / 1024).toFixed(2)} KiB)`;
}
