/**
 * The async_tx API (crypto/async_tx/ of Linux): chains of copy, fill, XOR and RAID-6 P+Q
 * operations with explicit dependencies, each run on a dmaengine channel when one with the
 * capability fits, else inline on the CPU. See docs/async-tx-api.md.
 *
 * The free functions act on the default dmaengine instance (which starts with no devices, so
 * everything runs on the software path until a provider registers one); `createAsyncTx(engine)`
 * gives the same API on an isolated instance.
 *
 * Call order: `initAsyncSubmit(flags, dependTx, cbFn, cbParam, scribble)` → `async*(...,
 * submit)` → … → `asyncTxIssuePendingAll()` → callback, or `await waitForAsyncTx(tx)`.
 *
 * Threading: JavaScript thread only. Completion callbacks must not call async_* functions.
 */
import type { DmaAsyncTxDescriptor } from '../dmaengine/descriptor';
import { defaultDmaEngine } from '../dmaengine/index';
import type { DmaStatus, Holder } from '../dmaengine/status';
import { type AsyncTx, createAsyncTx } from './api';
import type { AsyncSubmitCtl } from './flags';
import { asyncTxAck, asyncTxClearAck, asyncTxTestAck } from './wait';

export { AsyncTxFlags, SumCheckFlags, initAsyncSubmit, ASYNC_TX_FLAGS_ALL } from './flags';
export type { AsyncSubmitCtl, AsyncTxCallback } from './flags';
export { createAsyncTx } from './api';
export type { AsyncTx } from './api';
export { asyncTxAck, asyncTxClearAck, asyncTxTestAck };
export { MAX_DISKS } from './pq';
export { raid6test, formatRaid6Failure, RAID6TEST_DEFAULT_DISKS } from './raid6test';
export type { Raid6TestOptions, Raid6TestResult, Raid6TestFailure } from './raid6test';

type Page = Uint8Array;
type Submit = AsyncSubmitCtl | null | undefined;
type Tx = DmaAsyncTxDescriptor | null;

let defaultApi: AsyncTx | undefined;

/** The async_tx API bound to the default dmaengine instance (created on first use). */
export function defaultAsyncTx(): AsyncTx {
  if (defaultApi === undefined || defaultApi.engine !== defaultDmaEngine()) defaultApi = createAsyncTx(defaultDmaEngine());
  return defaultApi;
}

/**
 * `async_memcpy(dest, src, dest_offset, src_offset, len, submit)`: copy `len` bytes from
 * `src[srcOffset…]` to `dest[destOffset…]`.
 * Runs on a channel with the MEMCPY capability when one fits (alignment, source count), after
 * `submit.dependTx`; otherwise inline on the CPU before returning.
 * See docs/async-tx-api.md §3.2 (operations) and §3.5 (which path runs when).
 * @returns the descriptor, submitted on a channel (not necessarily started: see
 *   {@link asyncTxIssuePendingAll}), or null when the CPU already did it and ran the callback
 * @throws TypeError or RangeError naming the argument, for a bad one (a page too short, a count
 *   out of range); DmaBugError when called from an async_tx completion callback
 */
export function asyncMemcpy(dest: Page, src: Page, destOffset: number, srcOffset: number, len: number, submit?: Submit): Tx {
  return defaultAsyncTx().asyncMemcpy(dest, src, destOffset, srcOffset, len, submit);
}
/**
 * `async_memset(dest, val, offset, len, submit)` (mainline until ~3.11): fill `len` bytes of
 * `dest` from `offset` with the byte `val` (0..255).
 * Runs on a channel with the MEMSET capability when one fits (alignment, source count), after
 * `submit.dependTx`; otherwise inline on the CPU before returning.
 * See docs/async-tx-api.md §3.2 (operations) and §3.5 (which path runs when).
 * @returns the descriptor, submitted on a channel (not necessarily started: see
 *   {@link asyncTxIssuePendingAll}), or null when the CPU already did it and ran the callback
 * @throws TypeError or RangeError naming the argument, for a bad one (a page too short, a count
 *   out of range); DmaBugError when called from an async_tx completion callback
 */
export function asyncMemset(dest: Page, val: number, offset: number, len: number, submit?: Submit): Tx {
  return defaultAsyncTx().asyncMemset(dest, val, offset, len, submit);
}
/**
 * `async_xor(dest, src_list, offset, src_cnt, len, submit)`: xor `srcCnt` sources of `len` bytes
 * at `offset` into `dest` (`XOR_ZERO_DST`: dest is overwritten; `XOR_DROP_DST`: dest is
 * `srcList[0]` and accumulates). Null sources are skipped.
 * Runs on a channel with the XOR capability when one fits (alignment, source count), after
 * `submit.dependTx`; otherwise inline on the CPU before returning.
 * More sources than the channel's `maxXor` become a fenced chain of descriptors.
 * See docs/async-tx-api.md §3.2 (operations) and §3.5 (which path runs when).
 * @returns the descriptor, submitted on a channel (not necessarily started: see
 *   {@link asyncTxIssuePendingAll}), or null when the CPU already did it and ran the callback
 * @throws TypeError or RangeError naming the argument, for a bad one (a page too short, a count
 *   out of range); DmaBugError when called from an async_tx completion callback
 */
export function asyncXor(dest: Page, srcList: (Page | null)[], offset: number, srcCnt: number, len: number, submit?: Submit): Tx {
  return defaultAsyncTx().asyncXor(dest, srcList, offset, srcCnt, len, submit);
}
/**
 * `async_xor_offs(dest, offset, src_list, src_offs, src_cnt, len, submit)`: {@link asyncXor}
 * with a byte offset per source (`srcOffs` null: every source at `offset`).
 * Runs on a channel with the XOR capability when one fits (alignment, source count), after
 * `submit.dependTx`; otherwise inline on the CPU before returning.
 * See docs/async-tx-api.md §3.2 (operations) and §3.5 (which path runs when).
 * @returns the descriptor, submitted on a channel (not necessarily started: see
 *   {@link asyncTxIssuePendingAll}), or null when the CPU already did it and ran the callback
 * @throws TypeError or RangeError naming the argument, for a bad one (a page too short, a count
 *   out of range); DmaBugError when called from an async_tx completion callback
 */
export function asyncXorOffs(dest: Page, offset: number, srcList: (Page | null)[], srcOffs: number[] | null, srcCnt: number,
  len: number, submit?: Submit): Tx {
  return defaultAsyncTx().asyncXorOffs(dest, offset, srcList, srcOffs, srcCnt, len, submit);
}
/**
 * `async_xor_val(dest, src_list, offset, src_cnt, len, result, submit)`: check that the sources
 * (`srcList[0]` is `dest`) xor to zero; `result.value` is written at completion: 0, or
 * `SumCheckFlags.P_RESULT` on a mismatch. Nothing else is written.
 * Runs on a channel with the XOR_VAL capability when one fits (alignment, source count), after
 * `submit.dependTx`; otherwise inline on the CPU before returning.
 * See docs/async-tx-api.md §3.2 (operations) and §3.5 (which path runs when).
 * @returns the descriptor, submitted on a channel (not necessarily started: see
 *   {@link asyncTxIssuePendingAll}), or null when the CPU already did it and ran the callback
 * @throws TypeError or RangeError naming the argument, for a bad one (a page too short, a count
 *   out of range); DmaBugError when called from an async_tx completion callback
 */
export function asyncXorVal(dest: Page, srcList: Page[], offset: number, srcCnt: number, len: number, result: Holder<number>,
  submit?: Submit): Tx {
  return defaultAsyncTx().asyncXorVal(dest, srcList, offset, srcCnt, len, result, submit);
}
/**
 * `async_xor_val_offs(dest, offset, src_list, src_offs, src_cnt, len, result, submit)`:
 * {@link asyncXorVal} with a byte offset per source (`srcOffs` null: every source at `offset`).
 * Runs on a channel with the XOR_VAL capability when one fits (alignment, source count), after
 * `submit.dependTx`; otherwise inline on the CPU before returning.
 * See docs/async-tx-api.md §3.2 (operations) and §3.5 (which path runs when).
 * @returns the descriptor, submitted on a channel (not necessarily started: see
 *   {@link asyncTxIssuePendingAll}), or null when the CPU already did it and ran the callback
 * @throws TypeError or RangeError naming the argument, for a bad one (a page too short, a count
 *   out of range); DmaBugError when called from an async_tx completion callback
 */
export function asyncXorValOffs(dest: Page, offset: number, srcList: Page[], srcOffs: number[] | null, srcCnt: number, len: number,
  result: Holder<number>, submit?: Submit): Tx {
  return defaultAsyncTx().asyncXorValOffs(dest, offset, srcList, srcOffs, srcCnt, len, result, submit);
}
/**
 * `async_gen_syndrome(blocks, offsets, disks, len, submit)`: compute a RAID6 stripe's P (xor)
 * and Q (Reed-Solomon) syndromes: `blocks` is the `disks - 2` data blocks, then P, then Q; a
 * null data block counts as zeros, a null P or Q is not computed.
 * Runs on a channel with the PQ capability when one fits (alignment, source count), after
 * `submit.dependTx`; otherwise inline on the CPU before returning.
 * See docs/async-tx-api.md §3.2 (operations) and §3.5 (which path runs when).
 * @returns the descriptor, submitted on a channel (not necessarily started: see
 *   {@link asyncTxIssuePendingAll}), or null when the CPU already did it and ran the callback
 * @throws TypeError or RangeError naming the argument, for a bad one (a page too short, a count
 *   out of range); DmaBugError when called from an async_tx completion callback
 */
export function asyncGenSyndrome(blocks: (Page | null)[], offsets: number[] | null, disks: number, len: number, submit?: Submit): Tx {
  return defaultAsyncTx().asyncGenSyndrome(blocks, offsets, disks, len, submit);
}
/**
 * `async_syndrome_val(blocks, offsets, disks, len, pqres, spare, s_off, submit)`: check a
 * stripe's P and Q against its data; `pqres.value` is written at completion with
 * `SumCheckFlags.P_RESULT` and/or `Q_RESULT` set on a mismatch. `spare` is a scratch page the
 * CPU path needs.
 * Runs on a channel with the PQ_VAL capability when one fits (alignment, source count), after
 * `submit.dependTx`; otherwise inline on the CPU before returning.
 * See docs/async-tx-api.md §3.2 (operations) and §3.5 (which path runs when).
 * @returns the descriptor, submitted on a channel (not necessarily started: see
 *   {@link asyncTxIssuePendingAll}), or null when the CPU already did it and ran the callback
 * @throws TypeError or RangeError naming the argument, for a bad one (a page too short, a count
 *   out of range); DmaBugError when called from an async_tx completion callback
 */
export function asyncSyndromeVal(blocks: (Page | null)[], offsets: number[] | null, disks: number, len: number,
  pqres: Holder<number>, spare: Page | null, sOff: number, submit?: Submit): Tx {
  return defaultAsyncTx().asyncSyndromeVal(blocks, offsets, disks, len, pqres, spare, sOff, submit);
}
/**
 * `async_raid6_2data_recov(disks, bytes, faila, failb, blocks, offs, submit)`: rebuild the two
 * failed data blocks `faila` < `failb` of a stripe from the survivors, P and Q, as a chain of
 * pq, xor and copy steps, each on its own channel or the CPU.
 * Runs on a channel with the PQ (and MEMCPY, XOR) capability when one fits (alignment, source count), after
 * `submit.dependTx`; otherwise inline on the CPU before returning.
 * See docs/async-tx-api.md §3.2 (operations) and §3.5 (which path runs when).
 * @returns the descriptor, submitted on a channel (not necessarily started: see
 *   {@link asyncTxIssuePendingAll}), or null when the CPU already did it and ran the callback
 * @throws TypeError or RangeError naming the argument, for a bad one (a page too short, a count
 *   out of range); DmaBugError when called from an async_tx completion callback
 */
export function asyncRaid6_2dataRecov(disks: number, bytes: number, faila: number, failb: number, blocks: (Page | null)[],
  offs: number[] | null, submit?: Submit): Tx {
  return defaultAsyncTx().asyncRaid6_2dataRecov(disks, bytes, faila, failb, blocks, offs, submit);
}
/**
 * `async_raid6_datap_recov(disks, bytes, faila, blocks, offs, submit)`: rebuild the failed
 * data block `faila` and P from the survivors and Q, as a chain of steps, each on its own channel
 * or the CPU.
 * Runs on a channel with the PQ (and MEMCPY, XOR) capability when one fits (alignment, source count), after
 * `submit.dependTx`; otherwise inline on the CPU before returning.
 * See docs/async-tx-api.md §3.2 (operations) and §3.5 (which path runs when).
 * @returns the descriptor, submitted on a channel (not necessarily started: see
 *   {@link asyncTxIssuePendingAll}), or null when the CPU already did it and ran the callback
 * @throws TypeError or RangeError naming the argument, for a bad one (a page too short, a count
 *   out of range); DmaBugError when called from an async_tx completion callback
 */
export function asyncRaid6DatapRecov(disks: number, bytes: number, faila: number, blocks: (Page | null)[], offs: number[] | null,
  submit?: Submit): Tx {
  return defaultAsyncTx().asyncRaid6DatapRecov(disks, bytes, faila, blocks, offs, submit);
}
/** `async_trigger_callback(submit)` (with the RFC's DELAY_SUBMIT handling) */
export function asyncTriggerCallback(submit?: Submit): Tx {
  return defaultAsyncTx().asyncTriggerCallback(submit);
}
/**
 * `async_tx_issue_pending_all()`: ring the doorbell of every channel in use
 * (`dma_issue_pending_all`), so that everything submitted starts. The CPU path needs none.
 */
export function asyncTxIssuePendingAll(): void {
  defaultAsyncTx().asyncTxIssuePendingAll();
}
/**
 * `async_tx_issue_pending(tx)`: ring the doorbell of the channel `tx` was submitted on, and of its
 * nearest submitted ancestor's while `tx` waits in a chain (nothing for null, the CPU path's answer).
 */
export function asyncTxIssuePending(tx: Tx): void {
  defaultAsyncTx().asyncTxIssuePending(tx);
}
/**
 * `async_tx_quiesce(&tx)`: block until `tx.value` completed ({@link dmaWaitForAsyncTx}), ack it,
 * and set `tx.value` to null; nothing for a null value.
 * @throws DmaBugError when the descriptor was already acked or when called from a completion
 *   callback; DmaEngineError `EIO` when it ended
 *   in error (where the kernel panics)
 */
export function asyncTxQuiesce(tx: Holder<Tx>): void {
  defaultAsyncTx().asyncTxQuiesce(tx);
}
/**
 * `dma_wait_for_async_tx(tx)`: block the thread until `tx` completed, as the kernel spins; a
 * descriptor still waiting in a chain is waited for through its nearest submitted ancestor.
 * @returns `DmaStatus.COMPLETE` (also for null), or `DmaStatus.ERROR` when it failed or timed out
 * @throws DmaBugError when called from an async_tx completion callback
 */
export function dmaWaitForAsyncTx(tx: Tx): DmaStatus {
  return defaultAsyncTx().dmaWaitForAsyncTx(tx);
}
/** A Promise of the descriptor's final DmaStatus (never blocks; ERROR after `timeoutMs`, 0 = never). */
export function waitForAsyncTx(tx: Tx, timeoutMs?: number): Promise<DmaStatus> {
  return defaultAsyncTx().waitForAsyncTx(tx, timeoutMs);
}
