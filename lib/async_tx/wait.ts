/**
 * Waiting for descriptors and the small helpers of async_tx.h: `dma_wait_for_async_tx`
 * (blocking, as the kernel's), its Promise form, `async_tx_quiesce`, issue pending, and the
 * acknowledgement bits.
 *
 * Model: a submitted descriptor is waited for with the core's `dmaSyncWait` (issue, then poll
 * the provider). A descriptor not yet submitted waits for an ancestor: the nearest submitted
 * one up its `parent` chain is waited for, whose completion path submits the next (run here if
 * the provider delivers completions later), until the descriptor itself is submitted (the 2.6.29 walk: in one JavaScript thread nothing else could
 * submit it while we block). A chain whose root was never submitted (DELAY_SUBMIT without
 * asyncTriggerCallback) cannot complete: the blocking wait answers ERROR at once instead of the
 * kernel's 5 s timeout; the Promise form keeps polling (the trigger may still come) until its
 * timeout.
 *
 * Threading: JavaScript thread only. The blocking forms block it; the Promise form polls once
 * per turn of the event loop and never blocks.
 */
import type { DmaAsyncTxDescriptor } from '../dmaengine/descriptor';
import { DmaAsyncTxDescriptor as Desc, dmaRunDependencies } from '../dmaengine/descriptor';
import { DmaBugError, DmaEngineError } from '../dmaengine/errors';
import { DmaCtrlFlags, DmaStatus, type Holder } from '../dmaengine/status';
import { checkInt, invalidType } from '../validate';
import { type AsyncTxContext, assertNotInCallback, guardedCallback, txSubmitted, txTestAck } from './submit';
import { setDependTx } from './flags';

function checkTx(tx: unknown, name = 'tx'): DmaAsyncTxDescriptor | null {
  if (tx === null || tx === undefined) return null;
  if (!(tx instanceof Desc)) throw invalidType('a DmaAsyncTxDescriptor or null', name, tx);
  return tx;
}

/** The nearest ancestor that was submitted, or null when the chain's root never was. */
function submittedAncestor(tx: DmaAsyncTxDescriptor): DmaAsyncTxDescriptor | null {
  let r: DmaAsyncTxDescriptor | null = tx.parent;
  while (r !== null && !txSubmitted(r)) r = r.parent;
  return r;
}

/** `dma_wait_for_async_tx(tx)`: block until `tx` completed. */
export function dmaWaitForAsyncTx(ctx: AsyncTxContext, txArg: DmaAsyncTxDescriptor | null): DmaStatus {
  const tx = checkTx(txArg);
  assertNotInCallback('dmaWaitForAsyncTx');
  if (tx === null) return DmaStatus.COMPLETE;
  while (!txSubmitted(tx)) {
    const anc = submittedAncestor(tx);
    if (anc === null || anc.chan === null) return DmaStatus.ERROR; // never submitted: nothing can submit it now
    const st = ctx.engine.dmaSyncWait(anc.chan, anc.cookie);
    if (st !== DmaStatus.COMPLETE) return DmaStatus.ERROR;
    // A provider that delivers completions on a later turn of the event loop has not run the
    // dependency step yet, and cannot while we block: run it (it detaches `next` first, so the
    // provider's own call later finds nothing left to do).
    if (!txSubmitted(tx) && anc.next !== null) dmaRunDependencies(anc);
    if (!txSubmitted(tx) && submittedAncestor(tx) === anc) return DmaStatus.ERROR; // no progress: chain broken
  }
  if (tx.chan === null) return DmaStatus.ERROR;
  return ctx.engine.dmaSyncWait(tx.chan, tx.cookie);
}

/**
 * The Promise form of {@link dmaWaitForAsyncTx}: resolves with the descriptor's DmaStatus once
 * it left IN_PROGRESS (COMPLETE for null), ERROR after `timeoutMs` (0 = never).
 */
export function waitForAsyncTx(ctx: AsyncTxContext, txArg: DmaAsyncTxDescriptor | null, timeoutMs?: number): Promise<DmaStatus> {
  const tx = checkTx(txArg);
  const limit = timeoutMs === undefined ? ctx.engine.state.syncWaitTimeoutMs : checkInt(timeoutMs, 'timeoutMs', 0, 0x7fffffff);
  if (tx === null) return Promise.resolve(DmaStatus.COMPLETE);
  const deadline = limit === 0 ? Infinity : Date.now() + limit;
  let rung: DmaAsyncTxDescriptor | null = null;
  let cookie = tx.cookie;
  let polls = 0;
  return new Promise<DmaStatus>((resolve) => {
    const poll = (): void => {
      try {
        // ring each channel once as the wait reaches it, as dma_sync_wait does
        const at = txSubmitted(tx) ? tx : submittedAncestor(tx);
        if (at !== null && at !== rung && at.chan !== null && at.chan.device && !at.chan.removed) {
          rung = at;
          ctx.engine.dmaAsyncIssuePending(at.chan);
        }
        if (txSubmitted(tx) && tx.chan !== null) {
          // remember the cookie: completion clears it, and a failed one is known by it
          if (tx.cookie > 0) cookie = tx.cookie;
          const st = cookie > 0 ? ctx.engine.dmaengineTxStatus(tx.chan, cookie) : DmaStatus.COMPLETE;
          if (st !== DmaStatus.IN_PROGRESS) {
            resolve(st);
            return;
          }
        }
        if (Date.now() >= deadline) {
          resolve(DmaStatus.ERROR);
          return;
        }
      } catch {
        resolve(DmaStatus.ERROR);
        return;
      }
      // setImmediate first (completions of an in-process provider land there), then back off
      if (++polls < 64) setImmediate(poll);
      else setTimeout(poll, 1);
    };
    setImmediate(poll); // never on the caller's stack

  });
}

/**
 * `async_tx_quiesce(&tx)`: wait for `holder.value`, acknowledge it, clear the holder.
 * @throws DmaBugError when it was already acknowledged; DmaEngineError EIO when it ended in error
 *   (the kernel panics)
 */
export function asyncTxQuiesce(ctx: AsyncTxContext, holder: Holder<DmaAsyncTxDescriptor | null>): void {
  if (holder === null || typeof holder !== 'object') throw invalidType('a holder object ({ value })', 'tx', holder);
  const tx = checkTx(holder.value, 'tx.value');
  assertNotInCallback('asyncTxQuiesce');
  if (tx === null) return;
  if (txTestAck(tx)) throw new DmaBugError('async_tx_quiesce: the descriptor was already acknowledged');
  const st = dmaWaitForAsyncTx(ctx, tx);
  if (st !== DmaStatus.COMPLETE) throw new DmaEngineError('EIO', 'async_tx_quiesce: DMA error waiting for transaction');
  tx.flags |= DmaCtrlFlags.CTRL_ACK;
  holder.value = null;
}

/** `async_tx_issue_pending_all()` = `dma_issue_pending_all()`. */
export function asyncTxIssuePendingAll(ctx: AsyncTxContext): void {
  ctx.ensureRegistered();
  ctx.engine.dmaIssuePendingAll();
}

/**
 * `async_tx_issue_pending(tx)`: ring the descriptor's channel; for a descriptor still waiting in
 * a chain, the channel of its nearest submitted ancestor too (that is where the chain moves).
 */
export function asyncTxIssuePending(ctx: AsyncTxContext, txArg: DmaAsyncTxDescriptor | null): void {
  const tx = checkTx(txArg);
  if (tx === null) return;
  const ring = (d: DmaAsyncTxDescriptor | null): void => {
    if (d && d.chan && d.chan.device && !d.chan.removed) ctx.engine.dmaAsyncIssuePending(d.chan);
  };
  ring(tx);
  if (!txSubmitted(tx)) ring(submittedAncestor(tx));
}

/** `async_tx_ack(tx)`: the descriptor may be recycled; it may no longer be a dependency. */
export function asyncTxAck(tx: DmaAsyncTxDescriptor): void {
  const t = checkTx(tx);
  if (t === null) throw invalidType('a DmaAsyncTxDescriptor', 'tx', tx);
  t.flags |= DmaCtrlFlags.CTRL_ACK;
}

/** `async_tx_clear_ack(tx)` */
export function asyncTxClearAck(tx: DmaAsyncTxDescriptor): void {
  const t = checkTx(tx);
  if (t === null) throw invalidType('a DmaAsyncTxDescriptor', 'tx', tx);
  t.flags &= ~DmaCtrlFlags.CTRL_ACK;
}

/** `async_tx_test_ack(tx)` */
export function asyncTxTestAck(tx: DmaAsyncTxDescriptor): boolean {
  const t = checkTx(tx);
  if (t === null) throw invalidType('a DmaAsyncTxDescriptor', 'tx', tx);
  return txTestAck(t);
}

/**
 * @internal the software path: wait for the dependency (acknowledging it, clearing
 * `submit.dependTx`), do the work inline, run the callback, return null.
 */
export function runSync(ctx: AsyncTxContext, submit: { dependTx: DmaAsyncTxDescriptor | null; cbFn: ((p: unknown) => void) | null;
  cbParam: unknown; }, work: () => void, epilog = true): null {
  const holder = { value: submit.dependTx };
  asyncTxQuiesce(ctx, holder);
  setDependTx(submit, null);
  work();
  if (epilog && submit.cbFn) asyncTxSyncEpilogOf(submit.cbFn, submit.cbParam);
  return null;
}

function asyncTxSyncEpilogOf(cb: (p: unknown) => void, param: unknown): void {
  guardedCallback(cb)(param);
}
