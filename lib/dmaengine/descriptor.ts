/**
 * The descriptor (`struct dma_async_tx_descriptor`) and the provider helpers that act on it.
 *
 * Model: a provider's `devicePrep*` callback returns a descriptor it owns (cookie -EBUSY, the
 * prep flags, `chan` set by `dmaAsyncTxDescriptorInit`, its own `txSubmit`). The client may set
 * a callback, then `dmaengineSubmit` → `txSubmit` assigns a cookie and queues it; it runs after
 * `deviceIssuePending`. On completion the provider completes the cookie, invokes the callback
 * (`dmaengineDescCallbackInvoke`) and submits the children parked on `next`
 * (`dmaRunDependencies`). async_tx builds its dependency chains on `next`/`parent`.
 *
 * How a descriptor ended stays on it (`txResult`) for its whole life: the cookie is cleared at
 * completion, so after that the record is the only place a failure can be read from (the
 * kernel loses it; see docs/dmaengine.md, "Failures are never lost").
 *
 * Providers may subclass {@link DmaAsyncTxDescriptor} to carry their own work description.
 *
 * Threading: JavaScript thread only; a native provider delivers completions to the event loop
 * and runs these helpers there.
 */
import type { DmaChan } from './channel';
import { checkChan, checkCtrlFlags, checkDescriptor, checkObject, isDmaChan } from './checks';
import { DmaBugError, ERRNO } from './errors';
import { checkInt, invalidType } from '../validate';
import { DmaTransResult, type DmaengineResult } from './status';

/** `dma_async_tx_callback`: called with `callbackParam`. */
export type DmaAsyncTxCallback = (param: unknown) => void;
/** `dma_async_tx_callback_result`: called with `callbackParam` and the result. */
export type DmaAsyncTxCallbackResult = (param: unknown, result: DmaengineResult) => void;

/** `struct dmaengine_desc_callback`: the three callback fields, copied out of a descriptor. */
export interface DmaengineDescCallback {
  /** The plain callback, called with `callbackParam` only. */
  callback: DmaAsyncTxCallback | null;
  /**
   * The result callback, called with `callbackParam` and a {@link DmaengineResult}; preferred over
   * `callback` when both are set.
   */
  callbackResult: DmaAsyncTxCallbackResult | null;
  /** The value passed to the callback. */
  callbackParam: unknown;
}

/** `struct dma_async_tx_descriptor`. */
export class DmaAsyncTxDescriptor implements DmaengineDescCallback {
  /** Tracking cookie: -EBUSY until submitted, then positive, 0 after completion. */
  cookie = -ERRNO.EBUSY;
  /** {@link DmaCtrlFlags} given at prep (CTRL_ACK set when acked). */
  flags = 0;
  /** The channel this descriptor runs on (set by {@link dmaAsyncTxDescriptorInit}). */
  chan: DmaChan | null = null;
  /** Provider's submit: assign a cookie and queue; returns the cookie (negative on error). */
  txSubmit: ((tx: DmaAsyncTxDescriptor) => number) | null = null;
  /** Provider's free for reusable descriptors (optional). */
  descFree: ((tx: DmaAsyncTxDescriptor) => number) | null = null;
  /**
   * `dma_async_tx_callback`: called with `callbackParam` when the descriptor completes (if
   * `callbackResult` is not set).
   */
  callback: DmaAsyncTxCallback | null = null;
  /**
   * `dma_async_tx_callback_result`: called with `callbackParam` and a {@link DmaengineResult} on
   * completion; wins over `callback`.
   */
  callbackResult: DmaAsyncTxCallbackResult | null = null;
  /** The value handed to the callback (`callback_param`). */
  callbackParam: unknown = null;
  /** Child to submit when this one completes (async_tx dependency chain). */
  next: DmaAsyncTxDescriptor | null = null;
  /** Parent this one waits for, while not yet submitted. */
  parent: DmaAsyncTxDescriptor | null = null;
  /**
   * How it ended: set when the provider hands the result to the callback
   * ({@link dmaengineDescCallbackInvoke} given the descriptor itself), kept after the cookie
   * is cleared, reset when it is submitted again. Null while it has not ended.
   */
  txResult: Readonly<DmaengineResult> | null = null;

  /**
   * @param chan the channel (same as calling {@link dmaAsyncTxDescriptorInit})
   * @param flags the prep flags
   */
  constructor(chan: DmaChan | null = null, flags = 0) {
    if (chan !== null && !isDmaChan(chan)) throw invalidType('a DmaChan or null', 'chan', chan);
    checkCtrlFlags(flags, 'flags');
    this.chan = chan;
    this.flags = flags;
  }
}

/** `dma_async_tx_descriptor_init(tx, chan)`: attach the descriptor to its channel. */
export function dmaAsyncTxDescriptorInit(tx: DmaAsyncTxDescriptor, chan: DmaChan): void {
  checkDescriptor(tx, 'tx');
  checkChan(chan, 'chan');
  tx.chan = chan;
}

/** `dmaengine_desc_get_callback(tx, &cb)`: a copy of the callback fields. */
export function dmaengineDescGetCallback(tx: DmaengineDescCallback): DmaengineDescCallback {
  checkObject(tx, 'a DmaAsyncTxDescriptor or a DmaengineDescCallback', 'tx');
  return { callback: tx.callback, callbackResult: tx.callbackResult, callbackParam: tx.callbackParam };
}

const NOERROR: DmaengineResult = Object.freeze({ result: DmaTransResult.NOERROR, residue: 0 });

/**
 * `dmaengine_desc_callback_invoke(cb, result)`: `callbackResult` when set (with a NOERROR,
 * residue 0 result when none is given), otherwise `callback`; never both. Given the descriptor
 * itself (not a copy), it first records `result` in `txResult`, so the outcome outlives the
 * cookie and a throwing callback.
 * @param cb a descriptor or a copy from {@link dmaengineDescGetCallback}
 * @param result how the descriptor ended
 */
export function dmaengineDescCallbackInvoke(cb: DmaengineDescCallback, result?: DmaengineResult | null): void {
  checkCallbackArgs(cb, result);
  if (cb instanceof DmaAsyncTxDescriptor) {
    if (!result) {
      cb.txResult = NOERROR;
    } else {
      // each field read once; the common outcome shares one frozen record (no copy per completion)
      const r = result.result;
      const residue = result.residue;
      cb.txResult = r === DmaTransResult.NOERROR && residue === 0 ? NOERROR : Object.freeze({ result: r, residue });
    }
  }
  if (cb.callbackResult) {
    cb.callbackResult(cb.callbackParam, result ?? { ...NOERROR });
  } else if (cb.callback) {
    cb.callback(cb.callbackParam);
  }
}

/** `dmaengine_desc_callback_valid(cb)`: whether `cb` has a callback to run (`callback` or `callbackResult`). */
export function dmaengineDescCallbackValid(cb: DmaengineDescCallback): boolean {
  checkObject(cb, 'a DmaAsyncTxDescriptor or a DmaengineDescCallback', 'cb');
  return cb.callback !== null || cb.callbackResult !== null;
}

/**
 * `dma_run_dependencies(tx)`: called by a provider once `tx` completed. Detaches `tx.next`,
 * then submits that child and the children after it while they stay on the child's channel
 * (clearing their parent links); a child on another channel is left chained, to be submitted
 * when its predecessor completes. Finally issues the child's channel.
 *
 * A child whose channel was removed (forced unregistration) is never submitted: it ends
 * ABORTED at once (its callback, then its own dependants), so nothing waits on it forever.
 */
export function dmaRunDependencies(tx: DmaAsyncTxDescriptor): void {
  checkDescriptor(tx, 'tx');
  if (tx.next !== null) checkDescriptor(tx.next, 'tx.next');
  let dep = tx.next;
  if (dep === null) return;
  tx.next = null;
  const chan = dep.chan;
  if (chan === null || chan.removed) {
    abortUnsubmitted(dep);
    return;
  }
  while (dep !== null) {
    dep.parent = null;
    let after: DmaAsyncTxDescriptor | null = dep.next;
    if (after !== null && after.chan === chan) dep.next = null; // submitted in this loop
    else after = null; // stays chained to dep: its own completion submits it
    if (dep.txSubmit === null) throw new DmaBugError('dmaRunDependencies: a dependant has no txSubmit');
    dep.txSubmit(dep);
    dep = after;
  }
  const device = chan.device;
  if (device && device.deviceIssuePending) device.deviceIssuePending(chan);
}

/** A dependant that can no longer run: ABORTED, callback, then its own dependants. */
function abortUnsubmitted(dep: DmaAsyncTxDescriptor): void {
  dep.parent = null;
  try {
    dmaengineDescCallbackInvoke(dep, { result: DmaTransResult.ABORTED, residue: 0 });
  } finally {
    dmaRunDependencies(dep);
  }
}

/**
 * The callback fields (null, undefined or a function) and the result (null, undefined, or a
 * DmaTransResult with a residue) of {@link dmaengineDescCallbackInvoke}, before anything is
 * recorded or called.
 */
function checkCallbackArgs(cb: unknown, result: unknown): void {
  const c = checkObject<DmaengineDescCallback>(cb, 'a DmaAsyncTxDescriptor or a DmaengineDescCallback', 'cb');
  if (c instanceof DmaAsyncTxDescriptor) checkDescriptor(c, 'cb');
  for (const key of ['callback', 'callbackResult'] as const) {
    const f = c[key];
    if (f != null && typeof f !== 'function') throw invalidType('a function or null', `cb.${key}`, f);
  }
  if (result === null || result === undefined) return;
  const r = checkObject<DmaengineResult>(result, 'a DmaengineResult ({ result, residue }) or null', 'result');
  checkInt(r.result, 'result.result', DmaTransResult.NOERROR, DmaTransResult.ABORTED);
  checkInt(r.residue, 'result.residue', 0, Number.MAX_SAFE_INTEGER);
}
