/**
 * The `soft` provider's prep work for copies, fills, XOR and the interrupt descriptor: each
 * turns checked prep arguments into the engine operation a {@link SoftDesc} submits, and says
 * how its completion is counted and checked. P+Q is in soft-prep-pq.ts.
 *
 * Model: the core checked every argument (lib/dmaengine/prep.ts); these trust them. Each
 * `DmaAddr` becomes a `subarray` view, so every source keeps its own offset. Zero-length work
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
  /** the destination bytes the `corrupt` fault inverts */
  corrupt: Uint8Array | null;
}

/** The `len` bytes at `a`, as a view. */
export const view = (a: DmaAddr, len: number): Uint8Array => subView(a.buf, a.off, a.off + len);

/** Whether two addresses start at the same byte of the same memory. */
const sameStart = (a: DmaAddr, b: DmaAddr): boolean =>
  bufferOf(a.buf) === bufferOf(b.buf) && byteOffsetOf(a.buf) + a.off === byteOffsetOf(b.buf) + b.off;

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
    memcpyLen: len, finish: null, corrupt: view(dst, len),
  };
}

/** `dst[0..len) = value` */
export function prepMemset(dst: DmaAddr, value: number, len: number): SoftPrep {
  if (len === 0) return prepInterrupt();
  return {
    submitOp: (e, ch, fence) => e.submit(ch, { op: 'memset', dst: dst.buf, dstOffset: dst.off, value, len, fence }),
    memcpyLen: -1, finish: null, corrupt: view(dst, len),
  };
}

/**
 * `dst = ⊕ src[0..srcCnt)`. A source that is `dst` itself (async_xor without ZERO_DST) turns it
 * into `dst ^= the rest`; an even number of such sources cancels out.
 */
export function prepXor(dst: DmaAddr, src: readonly DmaAddr[], srcCnt: number, len: number): SoftPrep {
  const s = src.slice(0, srcCnt);
  const others = s.filter((a) => !sameStart(a, dst));
  const inPlace = (s.length - others.length) % 2 === 1;
  if (len === 0 || (others.length === 0 && inPlace)) return prepInterrupt();
  if (others.length === 0) return prepMemset(dst, 0, len);
  const srcs = others.map((a) => view(a, len));
  const out = view(dst, len);
  return {
    submitOp: (e, ch, fence) => e.submit(ch, { op: 'xor', dst: out, srcs, len, zeroDst: !inPlace, fence }),
    memcpyLen: -1, finish: null, corrupt: out,
  };
}

/** `result.value` = P_RESULT when `⊕ src[0..srcCnt)` is not all zero, else 0. */
export function prepXorVal(src: readonly DmaAddr[], srcCnt: number, len: number, result: Holder<number>): SoftPrep {
  if (len === 0 || srcCnt === 0) return prepInterrupt(-1, () => { result.value = 0; });
  const srcs = src.slice(0, srcCnt).map((a) => view(a, len));
  return {
    submitOp: (e, ch, fence) => e.submit(ch, { op: 'xor_val', srcs, len, fence }),
    memcpyLen: -1, finish: (v) => { result.value = v !== 0 ? SumCheckFlags.P_RESULT : 0; }, corrupt: null,
  };
}
