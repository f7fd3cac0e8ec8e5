/**
 * The software path's byte work: thin calls into the native kernels (lib/kernels.ts, the typed
 * interface every TypeScript caller shares), which validate again and touch only the ranges they are given. The operations
 * have checked every argument before they get here; a zero length does nothing.
 *
 * Threading: JavaScript thread only; each call runs to completion on it (the kernel's
 * synchronous path runs on the caller's CPU in the same way).
 */
import { MAX_XOR_SOURCES as XOR_BATCH } from '../dmaengine/abi';
import {
  kernel2DataRecov, kernelCopy, kernelDatapRecov, kernelFill, kernelPqCheck, kernelPqGen, kernelPqGenXor, kernelXor,
  kernelXorIsZero,
} from '../kernels';
import { SumCheckFlags } from '../dmaengine/status';
import { copyView, fillView, subView } from '../views';

/**
 * Below this size a copy or fill stays on V8's own TypedArray.set / fill: a call into the addon
 * costs ~100 ns more than those fast builtins, and up to about 1 MiB the native kernel is no
 * faster (docs/kernels.md, "Through the addon"); beyond it, the kernel wins.
 */
export const INLINE_BUILTIN_MAX = 1 << 20;

export function softCopy(dest: Uint8Array, dOff: number, src: Uint8Array, sOff: number, len: number): void {
  if (len === 0) return;
  // The intrinsic set(subarray()): Buffer#copy reads byteLength/byteOffset/buffer as properties,
  // which a caller's view can shadow (and it makes the same subarray view for a partial copy).
  if (len <= INLINE_BUILTIN_MAX) copyView(dest, dOff, src, sOff, len);
  else kernelCopy(dest, dOff, src, sOff, len);
}

export function softFill(dest: Uint8Array, off: number, value: number, len: number): void {
  if (len === 0) return;
  if (len <= INLINE_BUILTIN_MAX) fillView(dest, value, off, off + len);
  else kernelFill(dest, off, value, len);
}

/** dest = ⊕ srcs (zeroDst) or dest ^= ⊕ srcs; null sources skipped; any count. */
export function softXor(dest: Uint8Array, dOff: number, srcs: (Uint8Array | null)[], offs: number[], len: number,
  zeroDst: boolean): void {
  if (len === 0) return;
  // The kernel skips null sources itself: one call, no copies of the lists, when they fit.
  if (srcs.length <= XOR_BATCH && offs.length === srcs.length && srcs.some((s) => s !== null)) {
    kernelXor(dest, dOff, srcs, offs, len, zeroDst);
    return;
  }
  const live: Uint8Array[] = [];
  const liveOffs: number[] = [];
  srcs.forEach((s, i) => {
    if (s !== null) {
      live.push(s);
      liveOffs.push(offs[i]!);
    }
  });
  if (live.length === 0) {
    if (zeroDst) kernelFill(dest, dOff, 0, len);
    return;
  }
  for (let i = 0; i < live.length; i += XOR_BATCH) {
    kernelXor(dest, dOff, live.slice(i, i + XOR_BATCH), liveOffs.slice(i, i + XOR_BATCH), len, zeroDst && i === 0);
  }
}

/** Whether ⊕ page is zero over len bytes. */
export function softIsZero(page: Uint8Array, off: number, len: number): boolean {
  return len === 0 || kernelXorIsZero([page], [off], len);
}

export function softPqGen(blocks: (Uint8Array | null)[], offs: number[], len: number): void {
  if (len > 0) kernelPqGen(blocks, offs, len);
}

export function softPqGenXor(blocks: (Uint8Array | null)[], offs: number[], start: number, stop: number, len: number): void {
  if (len > 0) kernelPqGenXor(blocks, offs, start, stop, len);
}

export function softPqCheck(blocks: (Uint8Array | null)[], offs: number[], len: number): number {
  return len === 0 ? 0 : kernelPqCheck(blocks, offs, len);
}

export function soft2DataRecov(blocks: (Uint8Array | null)[], offs: number[], len: number, faila: number, failb: number): void {
  if (len > 0) kernel2DataRecov(blocks, offs, len, faila, failb);
}

export function softDatapRecov(blocks: (Uint8Array | null)[], offs: number[], len: number, faila: number): void {
  if (len > 0) kernelDatapRecov(blocks, offs, len, faila);
}

function same(x: Uint8Array, xo: number, y: Uint8Array, yo: number, n: number): boolean {
  return Buffer.compare(subView(x, xo, xo + n), subView(y, yo, yo + n)) === 0;
}

/** The kernel's software check: P recomputed into `spare` and compared, then Q. */
export function softSyndromeCheck(blocks: (Uint8Array | null)[], offs: number[], d: number, n: number, spare: Uint8Array, sOff: number): number {
  const P = blocks[d - 2];
  const Q = blocks[d - 1];
  let r = 0;
  if (P) {
    softXor(spare, sOff, blocks.slice(0, d - 2), offs.slice(0, d - 2), n, true);
    if (!same(P, offs[d - 2]!, spare, sOff, n)) r |= SumCheckFlags.P_RESULT;
  }
  if (Q) {
    const b = [...blocks.slice(0, d - 2), null, spare];
    softPqGen(b, [...offs.slice(0, d - 2), 0, sOff], n);
    if (!same(Q, offs[d - 1]!, spare, sOff, n)) r |= SumCheckFlags.Q_RESULT;
  }
  return r;
}
