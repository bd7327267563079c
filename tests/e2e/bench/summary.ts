// How the browser benchmarks summarise their samples, so every table reads alike.

/** The nearest-rank percentile `p` (0-100) of `values`. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** What `cargo xtask bench` reads of a list of timings: its count, p50, p95 and maximum. */
export function summary(values: number[]) {
  return { n: values.length, p50: percentile(values, 50), p95: percentile(values, 95), max: Math.max(...values) };
}
