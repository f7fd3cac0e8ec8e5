/**
 * `async_memcpy` and `async_memset` (the latter removed from mainline around 3.11; kept here
 * with its 2.6.32–3.10 signature since the RFC and the ARCHITECTURE list it).
 *
 * Model: channel with the capability + offsets and length aligned for the device + the
 * provider prepared a descriptor → async path (submitted after the dependency, returned);
 * otherwise the software path runs inline and returns null. A memcpy or memset prep that
 * returns null falls back to software, as the modern kernel's memcpy does.
 *
 * Threading: JavaScript thread only; not from a completion callback.
 */
import { DmaCap } from '../dmaengine/caps';
import type { DmaAsyncTxDescriptor } from '../dmaengine/descriptor';
import { isDmaCopyAligned, isDmaFillAligned } from '../dmaengine/device';
import { dmaAddr } from '../dmaengine/status';
import { checkInt } from '../validate';
import { checkLen, checkPage, recheckPage } from './args';
import { type AsyncSubmitCtl, checkSubmit, setDependTx } from './flags';
import { softCopy, softFill } from './soft';
import {
  type AsyncTxContext, assertNotInCallback, asyncTxFindChannel, asyncTxSubmit, asyncTxSyncEpilog, checkDepend, prepFlags,
} from './submit';
import { runSync } from './wait';
import { byteOffsetOf } from '../views';

/**
 * `async_memcpy(dest, src, dest_offset, src_offset, len, submit)`. Honours ACK, FENCE,
 * DELAY_SUBMIT.
 * @returns the descriptor, or null when done on the software path (callback already run)
 */
export function asyncMemcpy(ctx: AsyncTxContext, dest: Uint8Array, src: Uint8Array, destOffset: number, srcOffset: number,
  len: number, submitArg?: AsyncSubmitCtl | null): DmaAsyncTxDescriptor | null {
  assertNotInCallback(ctx, 'asyncMemcpy');
  const n = checkLen(len);
  checkPage(dest, 'dest', destOffset, 'destOffset', n);
  checkPage(src, 'src', srcOffset, 'srcOffset', n);
  // No submit block (no dependency, callback or flags) and no channel anywhere for MEMCPY: the
  // software path in full is just the copy, so skip building the control block for it.
  if (submitArg === undefined || submitArg === null) {
    ctx.ensureRegistered();
    if (!ctx.engine.tableHasCap(DmaCap.MEMCPY)) {
      softCopy(dest, destOffset, src, srcOffset, n);
      return null;
    }
  }
  const submit = checkSubmit(submitArg);
  checkDepend(ctx, submit, 'asyncMemcpy');
  // A submit block with nothing to wait for, and no channel for MEMCPY: runSync's work without
  // its closures. The block's getters ran after the pages were checked: check them again.
  ctx.ensureRegistered();
  if (submit.dependTx === null && !ctx.engine.tableHasCap(DmaCap.MEMCPY)) {
    setDependTx(submit, null);
    recheckPage(dest, 'dest', destOffset, 'destOffset', n);
    recheckPage(src, 'src', srcOffset, 'srcOffset', n);
    softCopy(dest, destOffset, src, srcOffset, n);
    asyncTxSyncEpilog(ctx, submit);
    return null;
  }

  const chan = asyncTxFindChannel(ctx, submit, DmaCap.MEMCPY);
  const dev = chan?.device;
  if (chan && dev?.devicePrepDmaMemcpy
    && isDmaCopyAligned(dev, byteOffsetOf(src) + srcOffset, byteOffsetOf(dest) + destOffset, n)) {
    const tx = dev.devicePrepDmaMemcpy(chan, dmaAddr(dest, destOffset), dmaAddr(src, srcOffset), n, prepFlags(submit));
    if (tx) {
      asyncTxSubmit(ctx, tx, submit);
      return tx;
    }
  }
  return runSync(ctx, submit, () => softCopy(dest, destOffset, src, srcOffset, n), true, () => {
    recheckPage(dest, 'dest', destOffset, 'destOffset', n);
    recheckPage(src, 'src', srcOffset, 'srcOffset', n);
  });
}

/**
 * `async_memset(dest, val, offset, len, submit)` (2.6.32–3.10). Honours ACK, FENCE,
 * DELAY_SUBMIT.
 * @param val the byte value, 0..255
 * @returns the descriptor, or null when done on the software path
 */
export function asyncMemset(ctx: AsyncTxContext, dest: Uint8Array, val: number, offset: number, len: number,
  submitArg?: AsyncSubmitCtl | null): DmaAsyncTxDescriptor | null {
  assertNotInCallback(ctx, 'asyncMemset');
  const n = checkLen(len);
  checkPage(dest, 'dest', offset, 'offset', n);
  const v = checkInt(val, 'val', 0, 255);
  const submit = checkSubmit(submitArg);
  checkDepend(ctx, submit, 'asyncMemset');
  ctx.ensureRegistered();
  if (submit.dependTx === null && !ctx.engine.tableHasCap(DmaCap.MEMSET)) { // as asyncMemcpy's
    setDependTx(submit, null);
    recheckPage(dest, 'dest', offset, 'offset', n);
    softFill(dest, offset, v, n);
    asyncTxSyncEpilog(ctx, submit);
    return null;
  }

  const chan = asyncTxFindChannel(ctx, submit, DmaCap.MEMSET);
  const dev = chan?.device;
  if (chan && dev?.devicePrepDmaMemset && isDmaFillAligned(dev, byteOffsetOf(dest) + offset, 0, n)) {
    const tx = dev.devicePrepDmaMemset(chan, dmaAddr(dest, offset), v, n, prepFlags(submit));
    if (tx) {
      asyncTxSubmit(ctx, tx, submit);
      return tx;
    }
  }
  return runSync(ctx, submit, () => softFill(dest, offset, v, n), true, () => recheckPage(dest, 'dest', offset, 'offset', n));
}
