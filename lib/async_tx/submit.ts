/**
 * The async_tx core: channel choice, submission with dependency rules, the software path's
 * epilogue, acknowledgement, and the forbidden-from-callback guard (the kernel's async_tx.c).
 *
 * Model: an operation asks {@link asyncTxFindChannel} for a channel (the dependency's channel
 * when its device has the capability, else the calling CPU's table entry). On the async path
 * the provider's `devicePrep*` builds a descriptor and {@link asyncTxSubmit} places it:
 *   - no dependency: submitted now;
 *   - dependency not yet submitted (itself chained, or held by DELAY_SUBMIT): chained on
 *     `dependTx.next`, submitted by `dmaRunDependencies` when its turn comes;
 *   - dependency submitted on the same channel: submitted now (the channel keeps order);
 *   - dependency on another channel: chained, submitted by the dependency's completion path
 *     (`dmaRunDependencies`), or now if it already completed. This replaces the kernel's
 *     channel switch (an interrupt descriptor, or a spin), deprecated as broken in 2017.
 * Then the dependency is acknowledged (modern rule). With DELAY_SUBMIT the descriptor is only
 * prepared; {@link delayedSubmit} does the placing when asyncTriggerCallback asks.
 *
 * Threading: JavaScript thread only. Callbacks run from a provider's completion path or, on
 * the software path, inline; neither may start new async_tx work (guarded here).
 */
import type { DmaCap } from '../dmaengine/caps';
import type { DmaChan } from '../dmaengine/channel';
import { dmaAsyncIsComplete } from '../dmaengine/cookie';
import type { DmaAsyncTxDescriptor } from '../dmaengine/descriptor';
import type { DmaDevice } from '../dmaengine/device';
import { DmaBugError, ERRNO } from '../dmaengine/errors';
import type { DmaEngine } from '../dmaengine/instance';
import { DmaCtrlFlags } from '../dmaengine/status';
import { AsyncTxFlags, type AsyncSubmitCtl, type AsyncTxCallback } from './flags';
import { invalidType } from '../validate';

/** @internal One async_tx binding to a dmaengine instance. */
export class AsyncTxContext {
  /** whether this binding holds its `dmaengineGet()` reference */
  registered = false;
  /** DELAY_SUBMIT descriptors prepared and not yet submitted, with their dependency */
  readonly delayed = new WeakMap<DmaAsyncTxDescriptor, DmaAsyncTxDescriptor | null>();
  /** how many of this binding's completion callbacks are running now (the guard below) */
  callbackDepth = 0;

  constructor(readonly engine: DmaEngine) {}

  /** `async_tx_init`: take the public-client reference once, on first use. */
  ensureRegistered(): void {
    if (this.registered) return;
    this.engine.dmaengineGet();
    this.registered = true;
  }
}

/**
 * @internal throws when called from inside one of this binding's completion callbacks (the
 * kernel forbids it). Each binding (createAsyncTx) counts its own callbacks: a callback of one
 * instance does not stop another instance's calls.
 */
export function assertNotInCallback(ctx: AsyncTxContext, fn: string): void {
  if (ctx.callbackDepth > 0) {
    throw new DmaBugError(`${fn}: called from an async_tx completion callback; callbacks must not start or wait for ` +
      'async_tx work (continue the chain from waitForAsyncTx(tx).then(...) instead)');
  }
}

/** @internal the callback wrapped so that the guard of `ctx` knows it runs */
export function guardedCallback(ctx: AsyncTxContext, cb: AsyncTxCallback): AsyncTxCallback {
  return (param: unknown) => {
    ctx.callbackDepth++;
    try {
      cb(param);
    } finally {
      ctx.callbackDepth--;
    }
  };
}

/** `async_tx_test_ack(tx)` */
export function txTestAck(tx: DmaAsyncTxDescriptor): boolean {
  const f: unknown = tx.flags;
  // a descriptor's fields are public: one a caller overwrote is refused by name, not converted
  if (typeof f !== 'number') throw invalidType('a number', 'tx.flags', f);
  return (f & DmaCtrlFlags.CTRL_ACK) !== 0;
}

/** Whether the descriptor went through txSubmit (cookie no longer -EBUSY). */
export function txSubmitted(tx: DmaAsyncTxDescriptor): boolean {
  return tx.cookie !== -ERRNO.EBUSY;
}

/** Whether a descriptor ended (its recorded result, else the cookie window; no provider call). */
export function txCompleted(tx: DmaAsyncTxDescriptor): boolean {
  if (tx.txResult !== null) return true;
  if (tx.cookie === 0) return true; // dmaCookieComplete clears it
  const chan = tx.chan;
  if (tx.cookie < 0 || chan === null) return false;
  return dmaAsyncIsComplete(tx.cookie, chan.completedCookie, chan.cookie) === 0;
}

/**
 * @internal the dependency rules, checked before anything happens (the kernel's BUG_ONs in
 * async_tx_submit and async_tx_quiesce): an acknowledged descriptor may have been recycled,
 * and chains are one-to-one.
 */
export function checkDepend(ctx: AsyncTxContext, submit: AsyncSubmitCtl, fn: string): void {
  const dep = submit.dependTx;
  if (dep === null) return;
  if (txTestAck(dep)) throw new DmaBugError(`${fn}: the dependency was already acknowledged (it may have been recycled)`);
  if (dep.next !== null) throw new DmaBugError(`${fn}: the dependency already has a child (chains are one-to-one)`);
  if (dep.chan === null && !ctx.delayed.has(dep)) throw new DmaBugError(`${fn}: the dependency has no channel`);
  if (!willRun(ctx, dep)) {
    throw new DmaBugError(`${fn}: the dependency was never submitted, and nothing will submit it (this operation would never run)`);
  }
}

/**
 * Whether the chain `dep` belongs to can still move: its root was submitted, ended, or is a
 * DELAY_SUBMIT descriptor held by this binding. A descriptor a caller made and never submitted
 * is none of these: a child parked on it would wait forever, its callback never run. The walk
 * stops at a loop (a caller can write any `parent`).
 */
function willRun(ctx: AsyncTxContext, dep: DmaAsyncTxDescriptor): boolean {
  const seen = new Set<DmaAsyncTxDescriptor>();
  let root = dep;
  while (root.parent !== null && !seen.has(root)) {
    seen.add(root);
    root = root.parent;
  }
  return txSubmitted(root) || root.txResult !== null || ctx.delayed.has(root);
}

function usable(chan: DmaChan | null): chan is DmaChan & { device: DmaDevice } {
  return chan != null && chan.device != null && !chan.removed; // a caller-made DmaChan may lack a device
}

/**
 * `async_tx_find_channel(submit, cap)`: the dependency's channel if its device has `cap`,
 * else this CPU's table entry for `cap`, else null.
 */
export function asyncTxFindChannel(ctx: AsyncTxContext, submit: AsyncSubmitCtl, cap: DmaCap): DmaChan | null {
  ctx.ensureRegistered();
  const dep = submit.dependTx;
  if (dep !== null && usable(dep.chan) && (dep.chan.device.capMask.bits & (1 << cap)) !== 0) return dep.chan;
  const chan = ctx.engine.dmaFindChannel(cap);
  return usable(chan) ? chan : null;
}

/** `DMA_PREP_INTERRUPT` when a callback is set, `DMA_PREP_FENCE` for ASYNC_TX_FENCE. */
export function prepFlags(submit: AsyncSubmitCtl): number {
  let f = 0;
  if (submit.cbFn) f |= DmaCtrlFlags.PREP_INTERRUPT;
  if (submit.flags & AsyncTxFlags.FENCE) f |= DmaCtrlFlags.PREP_FENCE;
  return f;
}

function submitNow(tx: DmaAsyncTxDescriptor): void {
  tx.parent = null;
  if (typeof tx.txSubmit !== 'function') throw new DmaBugError('async_tx_submit: the provider gave a descriptor without txSubmit');
  tx.txSubmit(tx);
}

/** Place `tx` after `dep` (see the file header). */
function attach(dep: DmaAsyncTxDescriptor | null, tx: DmaAsyncTxDescriptor): void {
  if (dep === null) {
    submitNow(tx);
    return;
  }
  if (!txSubmitted(dep) && dep.txResult === null) {
    dep.next = tx; // dmaRunDependencies submits it after dep
    tx.parent = dep;
  } else if (dep.chan === tx.chan || txCompleted(dep)) {
    submitNow(tx);
  } else {
    dep.next = tx; // dep's completion path submits it on its own channel
    tx.parent = dep;
  }
  // across channels, ring the dependency's channel, as the kernel's channel switch does
  const dc = dep.chan;
  if (dc !== null && dc !== tx.chan && txSubmitted(dep) && dc.device?.deviceIssuePending && !dc.removed) {
    dc.device.deviceIssuePending(dc);
  }
}

/**
 * `async_tx_submit(chan, tx, submit)`: set the callback, place the descriptor after its
 * dependency (or keep it for asyncTriggerCallback with DELAY_SUBMIT), honour ACK, and
 * acknowledge the dependency.
 */
export function asyncTxSubmit(ctx: AsyncTxContext, tx: DmaAsyncTxDescriptor, submit: AsyncSubmitCtl): void {
  const dep = submit.dependTx;
  if (tx.parent !== null) throw new DmaBugError('async_tx_submit: the new descriptor already has a parent');
  tx.callback = submit.cbFn ? guardedCallback(ctx, submit.cbFn) : null;
  tx.callbackParam = submit.cbParam;
  if (submit.flags & AsyncTxFlags.DELAY_SUBMIT) ctx.delayed.set(tx, dep);
  else attach(dep, tx);
  if (submit.flags & AsyncTxFlags.ACK) tx.flags |= DmaCtrlFlags.CTRL_ACK;
  if (dep !== null) dep.flags |= DmaCtrlFlags.CTRL_ACK;
}

/**
 * @internal submit a DELAY_SUBMIT descriptor, with `cb` run after its own callback.
 * @returns false when `tx` is not a delayed descriptor of this binding
 */
export function delayedSubmit(ctx: AsyncTxContext, tx: DmaAsyncTxDescriptor, cb: AsyncTxCallback | null, param: unknown,
  ack: boolean): boolean {
  if (!ctx.delayed.has(tx)) return false;
  const dep = ctx.delayed.get(tx) ?? null;
  ctx.delayed.delete(tx);
  if (cb) {
    const own = tx.callback;
    const ownParam = tx.callbackParam;
    const trigger = guardedCallback(ctx, cb);
    tx.callback = own ? () => { own(ownParam); trigger(param); } : trigger;
    tx.callbackParam = own ? null : param;
  }
  attach(dep, tx);
  if (ack) tx.flags |= DmaCtrlFlags.CTRL_ACK;
  return true;
}

/** `async_tx_sync_epilog(submit)`: the software path's callback, inline. */
export function asyncTxSyncEpilog(ctx: AsyncTxContext, submit: { cbFn: AsyncTxCallback | null; cbParam: unknown }): void {
  const cb = submit.cbFn;
  if (!cb) return;
  ctx.callbackDepth++; // guardedCallback's guard, without a closure per call
  try {
    cb(submit.cbParam);
  } finally {
    ctx.callbackDepth--;
  }
}
