/**
 * The buffers one (op, size) runs on, and how its results are checked.
 *
 * Model: every block is a Buffer (Node memory, or dma-buf bytes for an engine that asks) filled by tiling a fixed pattern whose period
 * (65521 bytes, a prime) is shared by all blocks. P, Q and every result of every operation are
 * then tiled with the same period, so the expected bytes are computed once, in TypeScript
 * (lib/gf256, independent of the native kernels), over one period, and a result of any size is
 * checked in full by comparing it period by period (memcmp speed).
 *
 * Layout: data[0..7], P, Q (RAID-6 blocks, `disks` = 10); `dst` is the destination of
 * memcpy/memset/xor and the syndrome check's spare page. xor_val checks the 8-source list
 * [dst, data[0..5], xv] with dst zeroed and xv = data[0] ⊕ … ⊕ data[5]: its xor is zero, and
 * it stays so on the inline path, which (as the kernel's synchronous async_xor_val) XORs the
 * other sources into `srcList[0]` and then tests that for zero: the sources after the first
 * XOR to zero, so dst stays zero and every call reads and scans the whole length.
 *
 * Threading: JavaScript thread only.
 */
import { gfExp, gfMul } from '../gf256';
import { BENCH_SOURCES } from './sweep';

/** The pattern period, a prime so that no power-of-two chunking lines up with it. */
export const PERIOD = 65521;
/** memset's byte. */
export const FILL_BYTE = 0x5a;
/** The bytes a poisoned output holds before the operation that must overwrite it. */
const POISON = 0xee;

/** mulberry32: a small seeded generator, so that every run fills the same bytes. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

interface Patterns { data: Buffer[]; p: Buffer; q: Buffer; xv: Buffer; fill: Buffer }
let patterns: Patterns | undefined;

/** One period of every block, computed once (the reference the results are checked against). */
export function benchPatterns(): Patterns {
  if (patterns) return patterns;
  const data = Array.from({ length: BENCH_SOURCES }, (_, i) => {
    const next = seeded(0x9e3779b9 + i);
    const b = Buffer.alloc(PERIOD);
    for (let j = 0; j < PERIOD; j++) b[j] = next() & 0xff;
    return b;
  });
  const p = Buffer.alloc(PERIOD);
  const q = Buffer.alloc(PERIOD);
  const xv = Buffer.alloc(PERIOD);
  for (let i = 0; i < BENCH_SOURCES; i++) {
    const d = data[i]!;
    const g = gfExp(i);
    for (let j = 0; j < PERIOD; j++) {
      p[j] ^= d[j]!;
      q[j] ^= gfMul(g, d[j]!);
      if (i < BENCH_SOURCES - 2) xv[j] ^= d[j]!;
    }
  }
  patterns = { data, p, q, xv, fill: Buffer.alloc(PERIOD, FILL_BYTE) };
  return patterns;
}

/** Offset of the first byte of `buf` that differs from `pattern` tiled; -1 when none does. */
export function tiledMismatch(buf: Uint8Array, pattern: Buffer): number {
  for (let k = 0; k < buf.length; k += PERIOD) {
    const n = Math.min(PERIOD, buf.length - k);
    if (pattern.compare(buf, k, k + n, 0, n) !== 0) {
      for (let j = 0; j < n; j++) if (buf[k + j] !== pattern[j]) return k + j;
    }
  }
  return -1;
}

/** The blocks of one (size, channel): see the file header. */
export class Workload {
  readonly data: Buffer[];
  readonly p: Buffer;
  readonly q: Buffer;
  /** data[0..7], P, Q. */
  readonly blocks: Buffer[];
  readonly xv: Buffer;
  /** [dst, data[0..5], xv]: xor is zero while dst is zero. */
  readonly xvList: Buffer[];
  readonly dst: Buffer;
  /** The val operations' result holder (written at completion). */
  readonly result = { value: 0 };

  /**
   * @param len every block's length
   * @param alloc where the blocks live (zeroed Buffers of `n` bytes; default Node memory, the
   *   bridge column's dma-buf bytes)
   */
  constructor(readonly len: number, alloc: (n: number) => Buffer = (n) => Buffer.alloc(n)) {
    const pat = benchPatterns();
    const tile = (src: Buffer): Buffer => alloc(len).fill(src);
    this.data = pat.data.map(tile);
    this.p = tile(pat.p);
    this.q = tile(pat.q);
    this.blocks = [...this.data, this.p, this.q];
    this.xv = tile(pat.xv);
    this.dst = alloc(len);
    this.xvList = [this.dst, ...this.data.slice(0, BENCH_SOURCES - 2), this.xv];
  }

  /** Overwrites `bufs` with the poison byte. */
  static poison(...bufs: Buffer[]): void {
    for (const b of bufs) b.fill(POISON);
  }

  /** Throws when `buf` is not `pattern` tiled; `what` names it in the message. */
  static expect(buf: Buffer, pattern: Buffer, what: string): void {
    const at = tiledMismatch(buf, pattern);
    if (at >= 0) throw new Error(`wrong result: ${what} differs from the reference at byte ${at} of ${buf.length}`);
  }
}
