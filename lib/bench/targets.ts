/**
 * The targets issue 13 judges the bench on, evaluated on one run's figures so that the output
 * says pass or miss next to each: queued vs inline (one and two channels), two channels vs
 * two-thread memcpy bandwidth at 64 MiB, the public API vs the C++ kernel and vs ISA-L, a 4 KiB
 * asyncMemcpy vs Buffer.copy, and the event-loop delay while the engine saturates.
 *
 * A target whose figures this run lacks (a column omitted) is listed with `pass: null`.
 */
import type { BenchResult } from './run';
import type { Figure } from './series';
import { queuedSeriesId } from './series';
import { type BenchOp, OP_LABELS, sizeName } from './sweep';

export interface TargetResult {
  name: string;
  /** The measured ratio; null when a figure is missing. */
  value: number | null;
  /** "≥ 0.9×", "≤ 1.15×". */
  goal: string;
  /** Whether the value meets the goal; null when it could not be measured. */
  pass: boolean | null;
  /**
   * The ceiling this machine puts on the value, measured in the same run (limits.ts), where
   * the bench measures one: "two kernel threads: 1.52× one", "binding floor 640 ns = 3.1× the
   * kernel". Null where none is measured.
   */
  limit: string | null;
}

const MIB = 1 << 20;

export function evaluateTargets(r: BenchResult): TargetResult[] {
  const out: TargetResult[] = [];
  const fig = (op: BenchOp, len: number, series: string): Figure | undefined =>
    r.figures.find((f) => f.op === op && f.len === len && f.series === series);
  const inSweep = (op: BenchOp, len: number): boolean => r.options.ops.includes(op) && r.options.sizes.includes(len);
  const add = (name: string, value: number | null, cmp: '≥' | '≤', goal: number, limit: string | null = null): void => {
    const ok = value === null || !Number.isFinite(value) ? null : cmp === '≥' ? value >= goal : value <= goal;
    out.push({ name, value: ok === null ? null : value, goal: `${cmp} ${goal}×`, pass: ok, limit });
  };
  const threadsLimit = (op: BenchOp, len: number): string | null => {
    const t = r.kernelThreads.find((k) => k.op === op && k.len === len);
    return t ? `two kernel threads: ${(t.twoGbps / t.oneGbps).toFixed(2)}× one` : null;
  };
  const floorLimit = (op: BenchOp, len: number): string | null => {
    const f = r.bindingFloor.find((b) => b.op === op);
    const k = fig(op, len, 'kernel');
    // A call through the binding costs at least the floor plus the kernel's own time.
    return f && k ? `binding on 1-byte blocks ${Math.round(f.ns)} ns + kernel ${Math.round(k.nsPerOp)} ns: ≥ ${((f.ns + k.nsPerOp) / k.nsPerOp).toFixed(1)}×` : null;
  };
  const ratio = (a: Figure | undefined, b: Figure | undefined): number | null => (a && b ? a.gbps / b.gbps : null);
  const depth = Math.max(...r.options.depths);
  const q1 = queuedSeriesId('soft', 1, depth);
  const q2 = queuedSeriesId('soft', 2, depth);
  const has = (id: string): boolean => r.series.some((s) => s.id === id);

  for (const op of ['pq', 'xor'] as const) {
    const l = OP_LABELS[op];
    if (inSweep(op, 64 << 10) && has(q1)) add(`${l} 64 KiB: soft 1 channel q${depth} / inline`, ratio(fig(op, 64 << 10, q1), fig(op, 64 << 10, 'inline')), '≥', 0.7);
    for (const len of [MIB, 64 * MIB]) {
      if (!inSweep(op, len)) continue;
      const s = sizeName(len);
      if (has(q1)) add(`${l} ${s}: soft 1 channel q${depth} / inline`, ratio(fig(op, len, q1), fig(op, len, 'inline')), '≥', 0.9);
      if (has(q2)) add(`${l} ${s}: soft 2 channels q${depth} / inline`, ratio(fig(op, len, q2), fig(op, len, 'inline')), '≥', 1.7, threadsLimit(op, len));
      if (len === 64 * MIB && has(q2)) {
        const f = fig(op, len, q2);
        const t = r.twoThreadCopy;
        // Memory bandwidth both ways: bytes read + written per byte of data in (P+Q 10/8, xor 9/8, memcpy 2).
        const traffic = op === 'pq' ? 10 / 8 : 9 / 8;
        add(`${l} ${s}: soft 2 channels / two-thread memcpy (bytes read + written)`, f && t ? (f.gbps * traffic) / (t.twoThreadGbps * 2) : null,
          '≥', 0.8);
      }
    }
  }
  // The public API's inline path against the kernel alone: time ratio = kernel GB/s / inline GB/s.
  for (const op of ['xor', 'xor_val', 'pq', 'pq_val', 'recov_2data', 'recov_datap'] as const) {
    for (const len of r.options.sizes) {
      if (!inSweep(op, len) || len < 4096) continue;
      add(`${OP_LABELS[op]} ${sizeName(len)}: public API time / C++ kernel time`, ratio(fig(op, len, 'kernel'), fig(op, len, 'inline')), '≤',
        len >= 64 << 10 ? 1.15 : 2, len < 64 << 10 ? floorLimit(op, len) : null);
    }
  }
  // Bytes read + written per byte of data in, for the streaming bound of the P+Q rows.
  const TRAFFIC: Partial<Record<BenchOp, number>> = { xor: 9 / 8, pq: 10 / 8 };
  const streamLimit = (op: BenchOp, len: number, base: Figure | undefined): string | null => {
    const x = fig('xor', len, 'kernel');
    if (op !== 'pq' || !base || !x) return null;
    const b = base.gbps * TRAFFIC.pq!;
    const s = x.gbps * TRAFFIC.xor!;
    return `bytes moved: ${base.impl ?? 'ISA-L'} ${b.toFixed(0)} GB/s = ${(b / s).toFixed(2)}× the xor kernel's stream`;
  };
  const isal: [BenchOp, number][] = [['xor', 1.0], ['pq', 1.2], ['xor_val', 1.0], ['pq_val', 2]];
  for (const [op, goal] of isal) {
    for (const len of [64 << 10, MIB]) {
      if (!inSweep(op, len)) continue;
      const base = fig(op, len, 'clib');
      add(`${OP_LABELS[op]} ${sizeName(len)}: public API / ${base?.impl ?? 'ISA-L'}`, ratio(fig(op, len, 'inline'), base), '≥', goal,
        streamLimit(op, len, base));
    }
  }
  if (inSweep('memcpy', 4096)) {
    add('asyncMemcpy 4 KiB: time / Buffer.copy time', ratio(fig('memcpy', 4096, 'node'), fig('memcpy', 4096, 'inline')), '≤', 1.5);
  }
  if (r.options.extras) {
    const idle = r.loopDelay.find((l) => l.gbps === 0);
    const busy = r.loopDelay.find((l) => l.gbps > 0);
    add('event-loop delay p99: engine saturated / idle', idle && busy ? busy.p99Ms / idle.p99Ms : null, '≤', 1.5);
  }
  return out;
}
