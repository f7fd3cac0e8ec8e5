/**
 * What `dmaengine bench` measures: the operations, the sizes, the rounds and the queue
 * configurations of one sweep, and how many bytes of "data in" an operation of each kind
 * moves (the kernel's convention: `len` for memcpy/memset, 8 × `len` for the 8-source
 * operations).
 *
 * Model: a sweep is ops × sizes × series; the series are the CPU baselines (the C++ kernel,
 * the kernel via the binding, ISA-L, Buffer.copy/fill), the inline path (async_tx with no
 * device) and one series per queued engine × channels × depth. lib/bench/run.ts walks it.
 */

/** The operations, in the order they are printed. */
export const BENCH_OPS = ['memcpy', 'memset', 'xor', 'xor_val', 'pq', 'pq_val', 'recov_2data', 'recov_datap'] as const;
export type BenchOp = (typeof BENCH_OPS)[number];

/** Printed names. */
export const OP_LABELS: Readonly<Record<BenchOp, string>> = {
  memcpy: 'memcpy',
  memset: 'memset',
  xor: 'xor 8→1',
  xor_val: 'xor_val 8',
  pq: 'P+Q 8+2',
  pq_val: 'P+Q val 8+2',
  recov_2data: 'two-data recovery 8+2',
  recov_datap: 'data+P recovery 8+2',
};

/** Data sources of the multi-source operations (8 data blocks; P+Q adds P and Q). */
export const BENCH_SOURCES = 8;

/** Sizes of the full run; `--quick` drops the last (64 MiB). */
export const FULL_SIZES: readonly number[] = [4096, 65536, 1 << 20, 64 << 20];
export const QUICK_SIZES: readonly number[] = FULL_SIZES.slice(0, 3);

/** Engines a sweep may name (lib/bench/engines.ts). */
export const BENCH_ENGINE_IDS = ['inline', 'soft', 'bridge'] as const;
export type BenchEngineId = (typeof BENCH_ENGINE_IDS)[number];

/** One resolved sweep. */
export interface BenchOptions {
  ops: BenchOp[];
  /** Bytes per block. */
  sizes: number[];
  /** Measured rounds per (op, size); contenders alternate within a round; medians printed. */
  rounds: number;
  /** Queue depths of the queued engines. */
  depths: number[];
  /** Channel counts of the queued engines. */
  channels: number[];
  engines: BenchEngineId[];
  /** Run the C++ kernel program (kernel and ISA-L columns), building it when needed. */
  native: boolean;
  /** Engine overhead per op, event-loop delay, two-thread memcpy. */
  extras: boolean;
  /** Target duration of one sample in ms (a sample is many ops, timed together). */
  sampleMs: number;
  quick: boolean;
}

/** The defaults of a full run, or of `--quick`. */
export function benchDefaults(quick: boolean): BenchOptions {
  return {
    ops: [...BENCH_OPS],
    sizes: [...(quick ? QUICK_SIZES : FULL_SIZES)],
    rounds: quick ? 3 : 5,
    depths: [64],
    channels: [1, 2],
    engines: [...BENCH_ENGINE_IDS],
    native: true,
    extras: true,
    sampleMs: quick ? 6 : 15,
    quick,
  };
}

/** Bytes of data in of one operation on blocks of `len` bytes. */
export function dataIn(op: BenchOp, len: number): number {
  return op === 'memcpy' || op === 'memset' ? len : BENCH_SOURCES * len;
}

/** "4 KiB", "64 MiB", "512 B". */
export function sizeName(n: number): string {
  if (n >= 1 << 20 && n % (1 << 20) === 0) return `${n / (1 << 20)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} B`;
}
