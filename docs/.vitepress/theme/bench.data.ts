// The benchmark figures, read from bench/results.json at build time (`pnpm bench` writes it). When the
// file is absent, pages show a note saying how to produce it instead of made-up numbers.
import { readFileSync } from "node:fs";
import { defineLoader } from "vitepress";
import type { BenchResults } from "./bench.ts";

export interface BenchData {
  /** bench/results.json as `pnpm bench` wrote it, or null when there is none. */
  results: BenchResults | null;
}

declare const data: BenchData;

export { data };

export default defineLoader({
  // Relative to this file; in `docs:dev` a new run of the bench reloads the pages.
  watch: ["../../../bench/results.json"],
  load(files: string[]): BenchData {
    const [file] = files;
    if (!file) return { results: null };
    return { results: JSON.parse(readFileSync(file, "utf8")) as BenchResults };
  },
});
