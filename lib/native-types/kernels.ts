/**
 * The compute-kernel surface of the native addon (native/addon/kernels_binding.cc and
 * kernels_pq_binding.cc).
 *
 * Model: synchronous calls into the SIMD kernels (native/kernels/), each on byte ranges given
 * as (buffer, offset) pairs and one length. The async_tx software path calls these; user code
 * should go through the async_tx layer. Each call validates every argument before reading or
 * writing a byte, and throws the messages of lib/validate.ts (TypeError for a wrong type,
 * RangeError for a value out of range), naming the argument (`srcs[3]`, `offs.length`, …).
 *
 * RAID-6 block lists: `blocks` holds `disks` entries, data slots 0..disks-3, then P, then Q;
 * `offs` gives each block's start. A null data slot counts as zeros and keeps its index.
 *
 * Threading: JavaScript thread only; each call runs to completion on it.
 */

/** One kernel variant as measured by the selection micro-benchmark. */
export interface KernelVariantFigure {
  /** Variant name: "base", "glibc", "avx2", "avx512", "gfni". */
  name: string;
  /** Measured MB/s of data in; 0 when not measured (override, unsupported). */
  mbPerSec: number;
  /** Whether this CPU can run it. */
  supported: boolean;
}

/** The selection for one operation. */
export interface KernelOpSelection {
  /** "memcpy", "memset", "xor", "xor_check", "pq_gen", "pq_check" or "recov". */
  op: string;
  /** The variant in use. */
  chosen: string;
  /** Chosen through `DMAENGINE_KERNEL_<OP>` rather than measured. */
  overridden: boolean;
  /** Wall time the measurement of this operation took, in ms. */
  measureMs: number;
  variants: KernelVariantFigure[];
}

/** A block list entry: a buffer, or null where the operation allows it. */
export type KernelBlock = Uint8Array | null;

export interface KernelsAddon {
  /** Runs the selection of every operation (once) and returns it. */
  kernelSelection(): KernelOpSelection[];
  /** CPU features found, as the kernel names them. */
  cpuFeatures(): string[];
  /** dst[dstOff, +len) = src[srcOff, +len). Overlapping views are copied as by memmove. */
  kernelCopy(dst: Uint8Array, dstOff: number, src: Uint8Array, srcOff: number, len: number): void;
  /** dst[off, +len) = value (0..255). */
  kernelFill(dst: Uint8Array, off: number, value: number, len: number): void;
  /**
   * dst = ⊕ srcs (zeroDst) or dst ^= ⊕ srcs, 1..255 sources, null ones skipped; a source may
   * be dst itself at the same offset.
   */
  kernelXor(dst: Uint8Array, dstOff: number, srcs: KernelBlock[], srcOffs: number[], len: number,
    zeroDst: boolean): void;
  /** Whether ⊕ srcs is all zero; writes nothing. */
  kernelXorIsZero(srcs: KernelBlock[], srcOffs: number[], len: number): boolean;
  /** P = ⊕ D_i, Q = ⊕ g^i·D_i; 3..255 disks; P or Q may be null (not both). */
  kernelPqGen(blocks: KernelBlock[], offs: number[], len: number): void;
  /** P ^= ⊕ D_i, Q ^= ⊕ g^i·D_i for start ≤ i ≤ stop (ASYNC_TX_PQ_XOR_DST). */
  kernelPqGenXor(blocks: KernelBlock[], offs: number[], start: number, stop: number, len: number): void;
  /** Bit 0: P mismatch, bit 1: Q mismatch; 4..255 disks; writes nothing. */
  kernelPqCheck(blocks: KernelBlock[], offs: number[], len: number): number;
  /** Rebuilds data slots faila < failb from the others, P and Q (both required). */
  kernel2DataRecov(blocks: KernelBlock[], offs: number[], len: number, faila: number, failb: number): void;
  /** Rebuilds data slot faila and P from the other data and Q. */
  kernelDatapRecov(blocks: KernelBlock[], offs: number[], len: number, faila: number): void;
  // The same kernels with the blocks as call arguments and their offsets packed in `offs`
  // (block i at offs[i]; `count` the number of list entries passed, checked against the
  // arguments). Same checks and messages as the Array bindings above.
  /** kernelXor: offs[0] is dst's offset, offs[1 + i] srcs[i]'s. */
  kernelXorV(len: number, zeroDst: boolean, count: number, offs: Float64Array, dst: Uint8Array, ...srcs: KernelBlock[]): void;
  kernelXorIsZeroV(len: number, count: number, offs: Float64Array, ...srcs: KernelBlock[]): boolean;
  kernelPqGenV(len: number, count: number, offs: Float64Array, ...blocks: KernelBlock[]): void;
  kernelPqGenXorV(len: number, start: number, stop: number, count: number, offs: Float64Array, ...blocks: KernelBlock[]): void;
  kernelPqCheckV(len: number, count: number, offs: Float64Array, ...blocks: KernelBlock[]): number;
  kernel2DataRecovV(len: number, faila: number, failb: number, count: number, offs: Float64Array, ...blocks: KernelBlock[]): void;
  kernelDatapRecovV(len: number, faila: number, count: number, offs: Float64Array, ...blocks: KernelBlock[]): void;
}
