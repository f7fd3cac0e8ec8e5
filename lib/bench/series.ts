/**
 * The series (columns, plot lines) of a sweep and the figures they hold.
 *
 * Order: the C++ kernel, the kernel via the binding, the inline path, every queued engine ×
 * channels × depth, ISA-L (glibc for memcpy/memset), Node's Buffer.copy/fill.
 */
import type { BenchEngineId, BenchOp, BenchOptions } from './sweep';

export type SeriesKind = 'kernel' | 'binding' | 'inline' | 'queued' | 'clib' | 'node';

export interface SeriesDef {
  /** "kernel", "binding", "inline", "soft-2ch-q64", "clib", "node". */
  id: string;
  label: string;
  kind: SeriesKind;
  engine?: BenchEngineId;
  channels?: number;
  depth?: number;
}

/** One median figure. */
export interface Figure {
  op: BenchOp;
  len: number;
  series: string;
  /** GB/s of data in (median over the rounds). */
  gbps: number;
  /** ns per operation (from the median GB/s). */
  nsPerOp: number;
  minGbps: number;
  maxGbps: number;
  rounds: number;
  /** gbps / the inline path's gbps for the same (op, len); null without an inline figure. */
  ratioToInline: number | null;
  /** Which implementation ran ("avx512", "ISA-L pq_gen", "Buffer.copy"), where known. */
  impl?: string;
}

export function queuedSeriesId(engine: BenchEngineId, channels: number, depth: number): string {
  return `${engine}-${channels}ch-q${depth}`;
}

/** The series of a sweep over `queuedEngines` (the loaded, queued ones). */
export function sweepSeries(o: BenchOptions, queuedEngines: BenchEngineId[], withNative: boolean): SeriesDef[] {
  const s: SeriesDef[] = [];
  if (withNative) s.push({ id: 'kernel', label: 'kernel (C++)', kind: 'kernel' });
  s.push({ id: 'binding', label: 'kernel via binding', kind: 'binding' });
  if (o.engines.includes('inline')) s.push({ id: 'inline', label: 'inline', kind: 'inline', engine: 'inline' });
  for (const engine of queuedEngines) {
    for (const channels of o.channels) {
      for (const depth of o.depths) {
        s.push({
          id: queuedSeriesId(engine, channels, depth), label: `${engine} ${channels}ch q${depth}`, kind: 'queued',
          engine, channels, depth,
        });
      }
    }
  }
  if (withNative) s.push({ id: 'clib', label: 'ISA-L / glibc', kind: 'clib' });
  s.push({ id: 'node', label: 'Buffer.copy/fill', kind: 'node' });
  return s;
}
