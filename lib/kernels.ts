/**
 * The compute kernels (native/kernels/, through the addon), as typed functions: the one way the
 * TypeScript side calls them. The async_tx software path (lib/async_tx/soft.ts) and
 * `dmaengine info` use them; the `soft` provider reaches the same kernels through its engine's
 * workers, and the `plain` provider has its own byte loops by design (lib/providers/plain-ops.ts,
 * an independent reference).
 *
 * Model: each call validates every argument in the addon before reading or writing a byte, and
 * throws the messages of lib/validate.ts naming the argument. Limits: lib/dmaengine/abi.ts
 * (MAX_XOR_SOURCES, MAX_DISKS). RAID-6 block lists hold the data slots, then P, then Q; a null
 * data slot counts as zeros.
 *
 * Boundary: the block-list functions pass the blocks to the addon as call arguments and their
 * offsets packed in one Float64Array (the `…V` bindings, native/addon/kernels_spread_binding.cc):
 * reading Array elements through Node-API costs a generic property lookup each, the larger part
 * of a small call (docs/kernels.md, "The boundary"). The elements are read here, in JavaScript,
 * before the call (getters run then; a buffer one detaches arrives detached and is refused).
 * Anything unusual (not an Array, an offset that is not a number, lengths that differ, more
 * than 255 blocks) goes to the Array bindings, which word the error.
 *
 * Threading: JavaScript thread only; each call runs to completion on it. The addon loads on the
 * first call.
 */
import { native } from './native';
import type { KernelBlock, KernelOpSelection } from './native-types/kernels';

export type { KernelBlock, KernelOpSelection, KernelVariantFigure } from './native-types/kernels';

/** Entries of the offsets scratch: the largest block list (255) and xor's destination. */
const OFFS_LEN = 256;
/**
 * The offsets scratch, taken (set to null) while a call fills and uses it: a getter run while
 * the arguments are evaluated may call back in here, and must not overwrite offsets already
 * packed, so a nested call allocates its own.
 */
let offsPool: Float64Array | null = new Float64Array(OFFS_LEN);

function takeOffs(): Float64Array {
  const o = offsPool ?? new Float64Array(OFFS_LEN);
  offsPool = null;
  return o;
}

/**
 * `offs[0..n)` into `o` from `at`; false (nothing to rely on) when `offs` is not an Array of
 * length `n` ≤ 255 or an entry is not a number (the Array binding then words the error:
 * a string must not be coerced here).
 */
function packOffs(o: Float64Array, at: number, offs: unknown, n: number): boolean {
  if (!Array.isArray(offs) || offs.length !== n || n >= OFFS_LEN) return false;
  for (let i = 0; i < n; i++) {
    const v: unknown = offs[i];
    if (typeof v !== 'number') return false;
    o[at + i] = v;
  }
  return true;
}

/** The kernel variant chosen for each operation, with the figures that chose it (selection runs once). */
export function kernelSelection(): KernelOpSelection[] {
  return native().kernelSelection();
}

/** The CPU features found, as the kernel names them. */
export function cpuFeatures(): string[] {
  return native().cpuFeatures();
}

/** `dst[dstOff, +len) = src[srcOff, +len)` (overlap copied as by memmove). */
export function kernelCopy(dst: Uint8Array, dstOff: number, src: Uint8Array, srcOff: number, len: number): void {
  native().kernelCopy(dst, dstOff, src, srcOff, len);
}

/** `dst[off, +len) = value` */
export function kernelFill(dst: Uint8Array, off: number, value: number, len: number): void {
  native().kernelFill(dst, off, value, len);
}

/** `dst = ⊕ srcs` (zeroDst) or `dst ^= ⊕ srcs`; 1..MAX_XOR_SOURCES sources, null ones skipped. */
export function kernelXor(dst: Uint8Array, dstOff: number, srcs: KernelBlock[], srcOffs: number[], len: number,
  zeroDst: boolean): void {
  const a = native();
  if (Array.isArray(srcs) && typeof dstOff === 'number') {
    const n = srcs.length;
    const o = takeOffs();
    o[0] = dstOff;
    if (packOffs(o, 1, srcOffs, n)) {
      a.kernelXorV(len, zeroDst, n, o, dst, ...srcs);
      offsPool = o;
      return;
    }
    offsPool = o;
  }
  a.kernelXor(dst, dstOff, srcs, srcOffs, len, zeroDst);
}

/**
 * kernelXor over the first `cnt` entries of `srcs` (1..255), source i at `srcOffs[i]`, or at
 * `sameOff` when `srcOffs` is null. For async_tx's inline path, which has checked the counts
 * but leaves the blocks to the binding. Returns false, having called nothing, when an offset
 * is not a number (the caller's own checks word that error); the binding's own errors throw.
 */
export function kernelXorList(dst: Uint8Array, dstOff: number, srcs: KernelBlock[], cnt: number, srcOffs: unknown[] | null,
  sameOff: number, len: number, zeroDst: boolean): boolean {
  const o = takeOffs();
  o[0] = dstOff;
  if (srcOffs === null) {
    o.fill(sameOff, 1, cnt + 1);
  } else if (!packOffs(o, 1, srcOffs, cnt)) {
    offsPool = o;
    return false;
  }
  native().kernelXorV(len, zeroDst, cnt, o, dst, ...(cnt === srcs.length ? srcs : srcs.slice(0, cnt)));
  offsPool = o;
  return true;
}

/** Whether `⊕ srcs` is all zero; writes nothing. */
export function kernelXorIsZero(srcs: KernelBlock[], srcOffs: number[], len: number): boolean {
  const a = native();
  if (Array.isArray(srcs)) {
    const o = takeOffs();
    if (packOffs(o, 0, srcOffs, srcs.length)) {
      const r = a.kernelXorIsZeroV(len, srcs.length, o, ...srcs);
      offsPool = o;
      return r;
    }
    offsPool = o;
  }
  return a.kernelXorIsZero(srcs, srcOffs, len);
}

/** P and Q of the data slots (3..MAX_DISKS blocks); P or Q may be null, not both. */
export function kernelPqGen(blocks: KernelBlock[], offs: number[], len: number): void {
  const a = native();
  if (Array.isArray(blocks)) {
    const o = takeOffs();
    if (packOffs(o, 0, offs, blocks.length)) {
      a.kernelPqGenV(len, blocks.length, o, ...blocks);
      offsPool = o;
      return;
    }
    offsPool = o;
  }
  a.kernelPqGen(blocks, offs, len);
}

/** P/Q ^= the contribution of data slots start..stop (ASYNC_TX_PQ_XOR_DST). */
export function kernelPqGenXor(blocks: KernelBlock[], offs: number[], start: number, stop: number, len: number): void {
  const a = native();
  if (Array.isArray(blocks)) {
    const o = takeOffs();
    if (packOffs(o, 0, offs, blocks.length)) {
      a.kernelPqGenXorV(len, start, stop, blocks.length, o, ...blocks);
      offsPool = o;
      return;
    }
    offsPool = o;
  }
  a.kernelPqGenXor(blocks, offs, start, stop, len);
}

/** The P/Q mismatch bits (SumCheckFlags) of the blocks (4..MAX_DISKS); writes nothing. */
export function kernelPqCheck(blocks: KernelBlock[], offs: number[], len: number): number {
  const a = native();
  if (Array.isArray(blocks)) {
    const o = takeOffs();
    if (packOffs(o, 0, offs, blocks.length)) {
      const r = a.kernelPqCheckV(len, blocks.length, o, ...blocks);
      offsPool = o;
      return r;
    }
    offsPool = o;
  }
  return a.kernelPqCheck(blocks, offs, len);
}

/** Rebuilds data slots faila < failb from the others, P and Q. */
export function kernel2DataRecov(blocks: KernelBlock[], offs: number[], len: number, faila: number, failb: number): void {
  const a = native();
  if (Array.isArray(blocks)) {
    const o = takeOffs();
    if (packOffs(o, 0, offs, blocks.length)) {
      a.kernel2DataRecovV(len, faila, failb, blocks.length, o, ...blocks);
      offsPool = o;
      return;
    }
    offsPool = o;
  }
  a.kernel2DataRecov(blocks, offs, len, faila, failb);
}

/** Rebuilds data slot faila and P from the other data and Q. */
export function kernelDatapRecov(blocks: KernelBlock[], offs: number[], len: number, faila: number): void {
  const a = native();
  if (Array.isArray(blocks)) {
    const o = takeOffs();
    if (packOffs(o, 0, offs, blocks.length)) {
      a.kernelDatapRecovV(len, faila, blocks.length, o, ...blocks);
      offsPool = o;
      return;
    }
    offsPool = o;
  }
  a.kernelDatapRecov(blocks, offs, len, faila);
}
