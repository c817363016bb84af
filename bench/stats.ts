/** Figures for benchmarks: percentiles and plain formatting. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

export function summarize(samplesMs: number[]): { count: number; p50: number; p90: number; p99: number; max: number; mean: number } {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const mean = sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    mean,
  };
}

export const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

export function table(rows: (string | number)[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows.map((r) => r.map((c, i) => String(c).padEnd(widths[i])).join('  ')).join('\n');
}

/** A target beside its figure: what was measured, the bound, and whether it holds. */
export function verdict(what: string, measured: number, bound: number, unit: 'ms' | 'MiB' | '×'): string {
  const digits = unit === '×' ? 2 : 0;
  const show = (n: number) => (unit === '×' ? `${fmt(n, digits)}×` : `${fmt(n, digits)} ${unit}`);
  return `  ${what}: ${show(measured)} against ≤ ${show(bound)}: ${measured <= bound ? 'met' : 'not met'}`;
}
