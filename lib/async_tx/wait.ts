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
 * Every wait answers from the result the provider recorded on the descriptor (`txResult`) once
 * there is one: a failure reads ERROR however long after delivery the wait starts, and after a
 * forced unregistration a completed descriptor reads COMPLETE, an aborted one ERROR.
 *
 * Threading: JavaScript thread only. The blocking forms block it; the Promise form polls once
 * per turn of the event loop and never blocks.
 */
import type { DmaAsyncTxDescriptor } from '../dmaengine/descriptor';
import { checkDescriptorOrNull } from '../dmaengine/checks';
import { dmaRunDependencies } from '../dmaengine/descriptor';
import { DmaBugError, DmaEngineError } from '../dmaengine/errors';
import { DmaCtrlFlags, DmaStatus, DmaTransResult, type Holder } from '../dmaengine/status';
import { checkInt, invalidType } from '../validate';
import { type AsyncTxContext, assertNotInCallback, asyncTxSyncEpilog, txSubmitted, txTestAck } from './submit';
import { setDependTx } from './flags';

function checkTx(tx: unknown, name = 'tx'): DmaAsyncTxDescriptor | null {
  return checkDescriptorOrNull(tx, name);
}

/** The nearest ancestor that was submitted, or null when the chain's root never was. */
function submittedAncestor(tx: DmaAsyncTxDescriptor): DmaAsyncTxDescriptor | null {
  let r: DmaAsyncTxDescriptor | null = tx.parent;
  while (r !== null && !txSubmitted(r)) r = r.parent;
  return r;
}

/**
 * How `tx` ended, from the result its provider recorded on it (`txResult`): COMPLETE or
 * ERROR, null while it has not ended. Survives the cleared cookie and a removed channel.
 */
function endedStatus(tx: DmaAsyncTxDescriptor): DmaStatus | null {
  const r = tx.txResult;
  if (r === null) return null;
  return r.result === DmaTransResult.NOERROR ? DmaStatus.COMPLETE : DmaStatus.ERROR;
}

/** Whether the channel can still be asked (a forced unregistration removed it otherwise). */
function live(d: DmaAsyncTxDescriptor): boolean {
  return d.chan !== null && d.chan.device !== null && !d.chan.removed;
}

/** Block on one submitted descriptor: its recorded result, else the channel's answer. */
function syncWaitOne(ctx: AsyncTxContext, d: DmaAsyncTxDescriptor): DmaStatus {
  const known = endedStatus(d);
  if (known !== null) return known;
  if (!live(d)) return DmaStatus.ERROR; // removed with no result delivered: it can never come now
  const st = ctx.engine.dmaSyncWait(d.chan!, d.cookie);
  return endedStatus(d) ?? st;
}

/** `dma_wait_for_async_tx(tx)`: block until `tx` completed. */
export function dmaWaitForAsyncTx(ctx: AsyncTxContext, txArg: DmaAsyncTxDescriptor | null): DmaStatus {
  const tx = checkTx(txArg);
  assertNotInCallback(ctx, 'dmaWaitForAsyncTx');
  if (tx === null) return DmaStatus.COMPLETE;
  while (!txSubmitted(tx)) {
    const ended = endedStatus(tx); // ended without being submitted (its channel was removed)
    if (ended !== null) return ended;
    const anc = submittedAncestor(tx);
    if (anc === null || anc.chan === null) return DmaStatus.ERROR; // never submitted: nothing can submit it now
    // the ancestor's own outcome does not matter: a failed one still submits its dependants
    if (syncWaitOne(ctx, anc) !== DmaStatus.COMPLETE && endedStatus(anc) === null) return DmaStatus.ERROR;
    // A provider that delivers completions on a later turn of the event loop has not run the
    // dependency step yet, and cannot while we block: run it (it detaches `next` first, so the
    // provider's own call later finds nothing left to do).
    if (!txSubmitted(tx) && anc.next !== null) dmaRunDependencies(anc);
    if (!txSubmitted(tx) && endedStatus(tx) === null && submittedAncestor(tx) === anc) return DmaStatus.ERROR; // no progress: chain broken
  }
  return syncWaitOne(ctx, tx);
}

/**
 * The Promise form of {@link dmaWaitForAsyncTx}: resolves with the descriptor's DmaStatus once
 * it left IN_PROGRESS (COMPLETE for null), ERROR after `timeoutMs` (0 = never) or when the core
 * reports the transfer's failure as a DmaEngineError. A descriptor that already ended answers
 * from its recorded result, however long ago. Rejects with any other error a poll throws
 * (TypeError, DmaBugError, …: programming errors are not transfer outcomes).
 */
export function waitForAsyncTx(ctx: AsyncTxContext, txArg: DmaAsyncTxDescriptor | null, timeoutMs?: number): Promise<DmaStatus> {
  const tx = checkTx(txArg);
  const limit = timeoutMs === undefined ? ctx.engine.state.syncWaitTimeoutMs : checkInt(timeoutMs, 'timeoutMs', 0, 0x7fffffff);
  if (tx === null) return Promise.resolve(DmaStatus.COMPLETE);
  const deadline = limit === 0 ? Infinity : Date.now() + limit;
  let rung: DmaAsyncTxDescriptor | null = null;
  let cookie = tx.cookie;
  let polls = 0;
  return new Promise<DmaStatus>((resolve, reject) => {
    const poll = (): void => {
      try {
        const ended = endedStatus(tx);
        if (ended !== null) {
          resolve(ended);
          return;
        }
        // ring each channel once as the wait reaches it, as dma_sync_wait does
        const at = txSubmitted(tx) ? tx : submittedAncestor(tx);
        if (at !== null && at !== rung && live(at)) {
          rung = at;
          ctx.engine.dmaAsyncIssuePending(at.chan!);
        }
        // a removed channel cannot be asked: its result is delivered by the provider (or never)
        if (txSubmitted(tx) && live(tx)) {
          if (tx.cookie > 0) cookie = tx.cookie;
          // a provider that records no result: the cookie, while it is known, else cleared = done
          const st = cookie > 0 ? ctx.engine.dmaengineTxStatus(tx.chan!, cookie) : DmaStatus.COMPLETE;
          if (st !== DmaStatus.IN_PROGRESS) {
            resolve(endedStatus(tx) ?? st);
            return;
          }
        }
        if (Date.now() >= deadline) {
          resolve(DmaStatus.ERROR);
          return;
        }
      } catch (err) {
        // A DmaEngineError is the transfer's outcome as the core reports it (its channel gone,
        // the provider's negative errno): the wait ends in ERROR. Anything else (TypeError,
        // DmaBugError, …) is a programming error, and the caller gets it.
        if (err instanceof DmaEngineError) resolve(endedStatus(tx) ?? DmaStatus.ERROR);
        else reject(err);
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
  assertNotInCallback(ctx, 'asyncTxQuiesce');
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
 * `submit.dependTx`), check the pages again (`recheck`: caller code ran since they were checked,
 * in the submit block's getters or the dependency's callbacks, and may have detached or shrunk
 * one; it throws the error naming the page, nothing written), do the work inline, run the
 * callback once, return null.
 */
export function runSync(ctx: AsyncTxContext, submit: { dependTx: DmaAsyncTxDescriptor | null; cbFn: ((p: unknown) => void) | null;
  cbParam: unknown; }, work: () => void, epilog = true, recheck?: () => void): null {
  const dep = submit.dependTx;
  if (dep !== null) asyncTxQuiesce(ctx, { value: dep });
  setDependTx(submit, null);
  if (recheck !== undefined) recheck();
  work();
  if (epilog) asyncTxSyncEpilog(ctx, submit);
  return null;
}
