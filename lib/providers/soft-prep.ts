/**
 * The `soft` provider's prep work for copies, fills, XOR and the interrupt descriptor: each
 * turns checked prep arguments into the engine operation a {@link SoftDesc} submits, and says
 * how its completion is counted and checked. P+Q is in soft-prep-pq.ts.
 *
 * Model: the core checked every argument (lib/dmaengine/prep.ts); these trust them. Each
 * `DmaAddr` stays a buffer and an offset: the engine takes every block with its own offset
 * (`SoftEngine#xorBlocks`, `#pqCoefBlocks`), no view is made per block. Zero-length work
 * becomes an in-order no-op (an interrupt descriptor).
 *
 * Threading: JavaScript thread only; the returned `submitOp` runs at `txSubmit`.
 */
import { type DmaAddr, type Holder, SumCheckFlags } from '../dmaengine/status';
import type { SoftSubmit } from './soft-chan';
import { bufferOf, byteOffsetOf, subView } from '../views';

/** What a prep call builds: the fields of its {@link SoftDesc}. */
export interface SoftPrep {
  /** queues the operation on the engine, returns the cookie */
  submitOp: SoftSubmit;
  /** bytes counted in `bytesTransferred` (-1: not a copy) */
  memcpyLen: number;
  /** stores a validate result at completion */
  finish: ((valResult: number) => void) | null;
  /** where the destination bytes the `corrupt` fault inverts start (`len` of them), or null */
  corrupt: DmaAddr | null;
}

/** The `len` bytes at `a`, as a view. */
export const view = (a: DmaAddr, len: number): Uint8Array => subView(a.buf, a.off, a.off + len);

/** Whether two addresses start at the same byte of the same memory. */
const sameStart = (a: DmaAddr, b: DmaAddr): boolean => (a.buf === b.buf ? a.off === b.off
  : byteOffsetOf(a.buf) + a.off === byteOffsetOf(b.buf) + b.off && bufferOf(a.buf) === bufferOf(b.buf));

const interruptOp: SoftSubmit = (e, ch, fence) => e.submit(ch, { op: 'interrupt', fence });

/** A no-op that completes in order (`finish`, when given, stores its result). */
export function prepInterrupt(memcpyLen = -1, finish: ((v: number) => void) | null = null): SoftPrep {
  return { submitOp: interruptOp, memcpyLen, finish, corrupt: null };
}

/** `dst[0..len) = src[0..len)` */
export function prepMemcpy(dst: DmaAddr, src: DmaAddr, len: number): SoftPrep {
  if (len === 0) return prepInterrupt(0);
  return {
    submitOp: (e, ch, fence) => e.submit(ch, { op: 'memcpy', dst: dst.buf, dstOffset: dst.off, src: src.buf, srcOffset: src.off,
      len, fence }),
    memcpyLen: len, finish: null, corrupt: dst,
  };
}

/** `dst[0..len) = value` */
export function prepMemset(dst: DmaAddr, value: number, len: number): SoftPrep {
  if (len === 0) return prepInterrupt();
  return {
    submitOp: (e, ch, fence) => e.submit(ch, { op: 'memset', dst: dst.buf, dstOffset: dst.off, value, len, fence }),
    memcpyLen: -1, finish: null, corrupt: dst,
  };
}

/**
 * `dst = ⊕ src[0..srcCnt)`. A source that is `dst` itself (async_xor without ZERO_DST) turns it
 * into `dst ^= the rest`; an even number of such sources cancels out.
 */
export function prepXor(dst: DmaAddr, src: readonly DmaAddr[], srcCnt: number, len: number): SoftPrep {
  // one pass, no views: the engine takes each block with its own offset (xorBlocks)
  const blocks: Uint8Array[] = [dst.buf];
  const offs: number[] = [dst.off];
  let same = 0;
  for (let i = 0; i < srcCnt; i++) {
    const a = src[i]!;
    if (sameStart(a, dst)) {
      same++;
    } else {
      blocks.push(a.buf);
      offs.push(a.off);
    }
  }
  const inPlace = same % 2 === 1;
  if (len === 0 || (blocks.length === 1 && inPlace)) return prepInterrupt();
  if (blocks.length === 1) return prepMemset(dst, 0, len);
  const zeroDst = !inPlace;
  return {
    submitOp: (e, ch, fence) => e.xorBlocks(ch, fence, zeroDst, len, blocks, offs),
    memcpyLen: -1, finish: null, corrupt: dst,
  };
}

/** `result.value` = P_RESULT when `⊕ src[0..srcCnt)` is not all zero, else 0. */
export function prepXorVal(src: readonly DmaAddr[], srcCnt: number, len: number, result: Holder<number>): SoftPrep {
  if (len === 0 || srcCnt === 0) return prepInterrupt(-1, () => { result.value = 0; });
  const blocks: Uint8Array[] = [];
  const offs: number[] = [];
  for (let i = 0; i < srcCnt; i++) {
    blocks.push(src[i]!.buf);
    offs.push(src[i]!.off);
  }
  return {
    submitOp: (e, ch, fence) => e.xorValBlocks(ch, fence, len, blocks, offs),
    memcpyLen: -1, finish: (v) => { result.value = v !== 0 ? SumCheckFlags.P_RESULT : 0; }, corrupt: null,
  };
}
