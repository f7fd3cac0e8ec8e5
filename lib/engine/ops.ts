/**
 * The operations a software-engine descriptor carries, as plain objects, and the result codes.
 *
 * Model: async_tx's operation families (spec §1.5) plus the interrupt descriptor. Blocks are
 * `Uint8Array`s (Buffers included; `subarray` for anything fancier than one common offset);
 * `null` is a zero block (data slots) or a disabled output (P or Q). For the RAID-6 family
 * `blocks` holds the data slots, then P, then Q; the Q coefficient of data slot i is g^i by
 * slot index, so a null data slot keeps its index.
 *
 * Threading: an op object is read once, during `SoftEngine#submit`; its buffers are held until
 * the descriptor completes, and must not be detached or transferred meanwhile.
 *
 * Results are `DmaTransResult` and validate bits `SumCheckFlags` (lib/dmaengine/abi.ts).
 */

/** Fields every operation accepts. */
export interface OpCommon {
  /**
   * DMA_PREP_FENCE: the next descriptor of the channel depends on this one; if this one does
   * not complete with NOERROR, the next completes ABORTED without running.
   */
  fence?: boolean;
  /** Run only once `cookie` of another channel of the same engine is complete. */
  waitFor?: { channel: number; cookie: number };
}

/** `dst[dstOffset..+len) = src[srcOffset..+len)`; the regions must not overlap. */
export interface MemcpyOp extends OpCommon {
  op: 'memcpy'; dst: Uint8Array; dstOffset?: number; src: Uint8Array; srcOffset?: number; len: number;
}
/** `dst[dstOffset..+len) = value`. */
export interface MemsetOp extends OpCommon {
  op: 'memset'; dst: Uint8Array; dstOffset?: number; value: number; len: number;
}
/** `dst ^= ⊕ srcs` (or `dst = ⊕ srcs` with `zeroDst`); 1..255 sources, null ones skipped. */
export interface XorOp extends OpCommon {
  op: 'xor'; dst: Uint8Array; srcs: readonly (Uint8Array | null)[]; offset?: number; len: number; zeroDst?: boolean;
}
/** valResult = `SumCheckFlags.P_RESULT` when `⊕ srcs` is not all zero. Writes nothing. */
export interface XorValOp extends OpCommon {
  op: 'xor_val'; srcs: readonly (Uint8Array | null)[]; offset?: number; len: number;
}
/**
 * P and/or Q of the data slots (3..255 blocks). With `xorDst` {start, stop}:
 * read-modify-write, P/Q ^= the contribution of slots start..stop (ASYNC_TX_PQ_XOR_DST).
 */
export interface PqOp extends OpCommon {
  op: 'pq'; blocks: readonly (Uint8Array | null)[]; offset?: number; len: number;
  xorDst?: { start: number; stop: number };
}
/** valResult = P/Q mismatch bits (`SumCheckFlags`). Writes nothing. */
export interface PqValOp extends OpCommon {
  op: 'pq_val'; blocks: readonly (Uint8Array | null)[]; offset?: number; len: number;
}
/** Rebuild data slots faila < failb (their blocks are the outputs) from the rest, P and Q. */
export interface Recov2DataOp extends OpCommon {
  op: 'recov_2data'; blocks: readonly (Uint8Array | null)[]; offset?: number; len: number; faila: number; failb: number;
}
/** Rebuild data slot faila and P from the rest and Q. */
export interface RecovDataPOp extends OpCommon {
  op: 'recov_datap'; blocks: readonly (Uint8Array | null)[]; offset?: number; len: number; faila: number;
}
/** No bytes: completes in order (async_trigger_callback's descriptor). */
export interface InterruptOp extends OpCommon {
  op: 'interrupt';
}

/**
 * P+Q with explicit coefficients (device_prep_dma_pq's `scf`): P = ⊕ srcs,
 * Q = ⊕ coefs[i]·srcs[i]. `p` or `q` may be null (disabled), not both; sources are never null.
 * `accumulate` XORs the results into P/Q (DMA_PREP_CONTINUE). 1..253 sources.
 */
export interface PqCoefOp extends OpCommon {
  op: 'pq_coef'; srcs: readonly Uint8Array[]; coefs: Uint8Array; p: Uint8Array | null; q: Uint8Array | null;
  offset?: number; len: number; accumulate?: boolean;
}
/** valResult = P/Q mismatch bits (`SumCheckFlags`) of {@link PqCoefOp}'s outputs. Writes nothing. */
export interface PqCoefValOp extends OpCommon {
  op: 'pq_coef_val'; srcs: readonly Uint8Array[]; coefs: Uint8Array; p: Uint8Array | null; q: Uint8Array | null;
  offset?: number; len: number;
}

/** Every operation a {@link SoftEngine} accepts. */
export type EngineOp = MemcpyOp | MemsetOp | XorOp | XorValOp | PqOp | PqValOp | Recov2DataOp
  | RecovDataPOp | InterruptOp | PqCoefOp | PqCoefValOp;

/** The operation names, in the order of the native op codes. */
export const OP_NAMES = ['memcpy', 'memset', 'xor', 'xor_val', 'pq', 'pq_val', 'recov_2data',
  'recov_datap', 'interrupt', 'pq_coef', 'pq_coef_val'] as const;
