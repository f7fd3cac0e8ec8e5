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

/** `async_memcpy(dest, src, dest_offset, src_offset, len, submit)`: see docs/async-tx-api.md. */
export function asyncMemcpy(dest: Page, src: Page, destOffset: number, srcOffset: number, len: number, submit?: Submit): Tx {
  return defaultAsyncTx().asyncMemcpy(dest, src, destOffset, srcOffset, len, submit);
}
/** `async_memset(dest, val, offset, len, submit)` (mainline until ~3.11). */
export function asyncMemset(dest: Page, val: number, offset: number, len: number, submit?: Submit): Tx {
  return defaultAsyncTx().asyncMemset(dest, val, offset, len, submit);
}
/** `async_xor(dest, src_list, offset, src_cnt, len, submit)` */
export function asyncXor(dest: Page, srcList: (Page | null)[], offset: number, srcCnt: number, len: number, submit?: Submit): Tx {
  return defaultAsyncTx().asyncXor(dest, srcList, offset, srcCnt, len, submit);
}
/** `async_xor_offs(dest, offset, src_list, src_offs, src_cnt, len, submit)` */
export function asyncXorOffs(dest: Page, offset: number, srcList: (Page | null)[], srcOffs: number[] | null, srcCnt: number,
  len: number, submit?: Submit): Tx {
  return defaultAsyncTx().asyncXorOffs(dest, offset, srcList, srcOffs, srcCnt, len, submit);
}
/** `async_xor_val(dest, src_list, offset, src_cnt, len, result, submit)`; `result.value` at completion. */
export function asyncXorVal(dest: Page, srcList: Page[], offset: number, srcCnt: number, len: number, result: Holder<number>,
  submit?: Submit): Tx {
  return defaultAsyncTx().asyncXorVal(dest, srcList, offset, srcCnt, len, result, submit);
}
/** `async_xor_val_offs(dest, offset, src_list, src_offs, src_cnt, len, result, submit)` */
export function asyncXorValOffs(dest: Page, offset: number, srcList: Page[], srcOffs: number[] | null, srcCnt: number, len: number,
  result: Holder<number>, submit?: Submit): Tx {
  return defaultAsyncTx().asyncXorValOffs(dest, offset, srcList, srcOffs, srcCnt, len, result, submit);
}
/** `async_gen_syndrome(blocks, offsets, disks, len, submit)` */
export function asyncGenSyndrome(blocks: (Page | null)[], offsets: number[] | null, disks: number, len: number, submit?: Submit): Tx {
  return defaultAsyncTx().asyncGenSyndrome(blocks, offsets, disks, len, submit);
}
/** `async_syndrome_val(blocks, offsets, disks, len, pqres, spare, s_off, submit)`; `pqres.value` at completion. */
export function asyncSyndromeVal(blocks: (Page | null)[], offsets: number[] | null, disks: number, len: number,
  pqres: Holder<number>, spare: Page | null, sOff: number, submit?: Submit): Tx {
  return defaultAsyncTx().asyncSyndromeVal(blocks, offsets, disks, len, pqres, spare, sOff, submit);
}
/** `async_raid6_2data_recov(disks, bytes, faila, failb, blocks, offs, submit)` */
export function asyncRaid6_2dataRecov(disks: number, bytes: number, faila: number, failb: number, blocks: (Page | null)[],
  offs: number[] | null, submit?: Submit): Tx {
  return defaultAsyncTx().asyncRaid6_2dataRecov(disks, bytes, faila, failb, blocks, offs, submit);
}
/** `async_raid6_datap_recov(disks, bytes, faila, blocks, offs, submit)` */
export function asyncRaid6DatapRecov(disks: number, bytes: number, faila: number, blocks: (Page | null)[], offs: number[] | null,
  submit?: Submit): Tx {
  return defaultAsyncTx().asyncRaid6DatapRecov(disks, bytes, faila, blocks, offs, submit);
}
/** `async_trigger_callback(submit)` (with the RFC's DELAY_SUBMIT handling) */
export function asyncTriggerCallback(submit?: Submit): Tx {
  return defaultAsyncTx().asyncTriggerCallback(submit);
}
/** `async_tx_issue_pending_all()` */
export function asyncTxIssuePendingAll(): void {
  defaultAsyncTx().asyncTxIssuePendingAll();
}
/** `async_tx_issue_pending(tx)` */
export function asyncTxIssuePending(tx: Tx): void {
  defaultAsyncTx().asyncTxIssuePending(tx);
}
/** `async_tx_quiesce(&tx)`: wait, ack, clear the holder. */
export function asyncTxQuiesce(tx: Holder<Tx>): void {
  defaultAsyncTx().asyncTxQuiesce(tx);
}
/** `dma_wait_for_async_tx(tx)`: blocking, as the kernel's. */
export function dmaWaitForAsyncTx(tx: Tx): DmaStatus {
  return defaultAsyncTx().dmaWaitForAsyncTx(tx);
}
/** A Promise of the descriptor's final DmaStatus (never blocks; ERROR after `timeoutMs`, 0 = never). */
export function waitForAsyncTx(tx: Tx, timeoutMs?: number): Promise<DmaStatus> {
  return defaultAsyncTx().waitForAsyncTx(tx, timeoutMs);
}
