/**
 * The software engine's native surface (native/addon/engine_binding.cc, engine_submit.cc).
 *
 * Model: one `SoftEngineHandle` per engine; positional arguments so a submission costs one
 * native call and no object reads. Every submit method takes `(channel, flags, waitChannel,
 * waitCookie, …)` first (waitChannel -1: no wait) and returns the cookie it assigned.
 * Threading: call on the JavaScript thread only; `onBatch` runs there too, once per wake-up.
 */

/** Called once per event-loop wake-up with every completion ready. */
export type NativeBatchHandler = (
  /** `count` quads of (channel, cookie, result, valResult); reused: valid during the call only. */
  batch: Int32Array,
  count: number,
) => void;

/** Descriptors of one channel run by one variant of one dispatched kernel operation. */
export interface KernelUse {
  /** The kernel operation, as `kernelSelection()` names it: `pq_gen`, `pq_coef`, … */
  op: string;
  /** The variant that ran it: `gfni`, `avx512`, `avx2`, `glibc`, `base`. */
  variant: string;
  count: number;
}

/** A native engine: its channels, their queues and worker threads. */
export interface SoftEngineHandle {
  /** The status block: one cookie cell per channel (layout and stride: lib/dmaengine/abi.ts). */
  status(): Int32Array;
  /** Issued descriptors whose completion has not been delivered yet. */
  outstanding(): number;
  /** Delivers the completions ready now on the caller's stack (not from inside onBatch). */
  poll(): boolean;
  /** Which kernel operation and variant ran the channel's descriptors so far (interrupts, aborted and failed ones excluded). */
  kernelUse(channel: number): KernelUse[];
  /** [descriptors striped, ranges of them run by the stripe helpers] so far. */
  stripeStats(): [number, number];
  /** The doorbell; returns how many descriptors it handed to the worker. */
  issuePending(channel: number): number;
  terminate(channel: number): void;
  injectError(channel: number, nth: number, result: number): void;
  setCookieForTest(channel: number, cookie: number): void;
  close(): void;
  memcpy(channel: number, flags: number, waitChannel: number, waitCookie: number,
    dst: Uint8Array, dstOffset: number, src: Uint8Array, srcOffset: number, len: number): number;
  memset(channel: number, flags: number, waitChannel: number, waitCookie: number,
    dst: Uint8Array, dstOffset: number, value: number, len: number): number;
  xor(channel: number, flags: number, waitChannel: number, waitCookie: number,
    dst: Uint8Array, srcs: readonly (Uint8Array | null)[], offset: number, len: number): number;
  xorVal(channel: number, flags: number, waitChannel: number, waitCookie: number,
    srcs: readonly (Uint8Array | null)[], offset: number, len: number): number;
  pq(channel: number, flags: number, waitChannel: number, waitCookie: number,
    blocks: readonly (Uint8Array | null)[], offset: number, len: number, start: number, stop: number): number;
  pqVal(channel: number, flags: number, waitChannel: number, waitCookie: number,
    blocks: readonly (Uint8Array | null)[], offset: number, len: number): number;
  recov2Data(channel: number, flags: number, waitChannel: number, waitCookie: number,
    blocks: readonly (Uint8Array | null)[], offset: number, len: number, faila: number, failb: number): number;
  recovDataP(channel: number, flags: number, waitChannel: number, waitCookie: number,
    blocks: readonly (Uint8Array | null)[], offset: number, len: number, faila: number): number;
  interrupt(channel: number, flags: number, waitChannel: number, waitCookie: number): number;
  /** P = ⊕ srcs, Q = ⊕ coefs[i]·srcs[i] (explicit coefficients); ENGINE_ACCUMULATE: XOR into P/Q. */
  pqCoef(channel: number, flags: number, waitChannel: number, waitCookie: number,
    srcs: readonly Uint8Array[], coefs: Uint8Array, p: Uint8Array | null, q: Uint8Array | null,
    offset: number, len: number): number;
  /** valResult = P/Q mismatch bits of {@link SoftEngineHandle.pqCoef}'s outputs. */
  pqCoefVal(channel: number, flags: number, waitChannel: number, waitCookie: number,
    srcs: readonly Uint8Array[], coefs: Uint8Array, p: Uint8Array | null, q: Uint8Array | null,
    offset: number, len: number): number;
  /**
   * The spread forms (native/addon/engine_submit_spread.cc): `count` buffer arguments follow
   * `offs`, buffer i at offset `offs[i]`. xorV: dst, then the sources (null skipped).
   */
  xorV(channel: number, flags: number, waitChannel: number, waitCookie: number, len: number, count: number,
    offs: Float64Array, ...blocks: (Uint8Array | null)[]): number;
  /** xorValV: the sources (null skipped). */
  xorValV(channel: number, flags: number, waitChannel: number, waitCookie: number, len: number, count: number,
    offs: Float64Array, ...blocks: (Uint8Array | null)[]): number;
  /** pqCoefV: the sources, then P|null and Q|null. */
  pqCoefV(channel: number, flags: number, waitChannel: number, waitCookie: number, len: number, coefs: Uint8Array,
    count: number, offs: Float64Array, ...blocks: (Uint8Array | null)[]): number;
  /** pqCoefValV: as pqCoefV. */
  pqCoefValV(channel: number, flags: number, waitChannel: number, waitCookie: number, len: number, coefs: Uint8Array,
    count: number, offs: Float64Array, ...blocks: (Uint8Array | null)[]): number;
}

export interface EngineAddon {
  SoftEngineHandle: new (channels: number, spinMicros: number, onBatch: NativeBatchHandler,
    coalesceMicros?: number, workerNice?: number, stripeBytes?: number,
    stripeThreads?: number, workerPolicy?: number) => SoftEngineHandle;
}
