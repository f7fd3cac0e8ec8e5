/**
 * Machine-readable forms of a bench result: `--json` (the whole result) and `--csv` (one row
 * per figure of the sweep).
 */
import type { BenchResult } from './run';

/** The result as JSON text. */
export function formatBenchJson(r: BenchResult): string {
  return JSON.stringify(r, null, 2);
}

export const CSV_COLUMNS = [
  'op', 'size_bytes', 'series', 'engine', 'channels', 'depth', 'gbps', 'ns_per_op', 'min_gbps', 'max_gbps', 'rounds',
  'ratio_to_inline', 'impl',
] as const;

function cell(v: unknown): string {
  if (v === undefined || v === null) return '';
  const s = typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(6)) : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The figures as CSV text (header line first). */
export function formatBenchCsv(r: BenchResult): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const f of r.figures) {
    const s = r.series.find((x) => x.id === f.series);
    lines.push([f.op, f.len, f.series, s?.engine ?? s?.kind, s?.channels, s?.depth, f.gbps, f.nsPerOp, f.minGbps, f.maxGbps, f.rounds,
      f.ratioToInline, f.impl].map(cell).join(','));
  }
  return lines.join('\n') + '\n';
}
