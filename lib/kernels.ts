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
 * Threading: JavaScript thread only; each call runs to completion on it. The addon loads on the
 * first call.
 */
import { native } from './native';
import type { KernelBlock, KernelOpSelection } from './native-types/kernels';

export type { KernelBlock, KernelOpSelection, KernelVariantFigure } from './native-types/kernels';

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
  native().kernelXor(dst, dstOff, srcs, srcOffs, len, zeroDst);
}

/** Whether `⊕ srcs` is all zero; writes nothing. */
export function kernelXorIsZero(srcs: KernelBlock[], srcOffs: number[], len: number): boolean {
  return native().kernelXorIsZero(srcs, srcOffs, len);
}

/** P and Q of the data slots (3..MAX_DISKS blocks); P or Q may be null, not both. */
export function kernelPqGen(blocks: KernelBlock[], offs: number[], len: number): void {
  native().kernelPqGen(blocks, offs, len);
}

/** P/Q ^= the contribution of data slots start..stop (ASYNC_TX_PQ_XOR_DST). */
export function kernelPqGenXor(blocks: KernelBlock[], offs: number[], start: number, stop: number, len: number): void {
  native().kernelPqGenXor(blocks, offs, start, stop, len);
}

/** The P/Q mismatch bits (SumCheckFlags) of the blocks (4..MAX_DISKS); writes nothing. */
export function kernelPqCheck(blocks: KernelBlock[], offs: number[], len: number): number {
  return native().kernelPqCheck(blocks, offs, len);
}

/** Rebuilds data slots faila < failb from the others, P and Q. */
export function kernel2DataRecov(blocks: KernelBlock[], offs: number[], len: number, faila: number, failb: number): void {
  native().kernel2DataRecov(blocks, offs, len, faila, failb);
}

/** Rebuilds data slot faila and P from the other data and Q. */
export function kernelDatapRecov(blocks: KernelBlock[], offs: number[], len: number, faila: number): void {
  native().kernelDatapRecov(blocks, offs, len, faila);
}
