/**
 * Cookies and status: the provider helpers of the kernel's `drivers/dma/dmaengine.h` and the
 * client's window rule.
 *
 * Model: each channel numbers its submitted descriptors with s32 cookies starting at 1; the
 * counter wraps from 2^31-1 back to 1. The channel remembers the last cookie assigned
 * (`chan.cookie`) and the last one completed (`chan.completedCookie`); completion is in order,
 * so a cookie's status follows from where it lies between the two (§2.5).
 *
 * Call order (provider): `dmaCookieInit(chan)` once → `dmaCookieAssign(tx)` in `txSubmit` →
 * `dmaCookieComplete(tx)` when it finished → `dmaCookieStatus` in `deviceTxStatus`.
 *
 * Threading: JavaScript thread. A native provider may instead advance `completedCookie` from
 * its workers in the channel's shared cookie cell (see DmaChan), and these helpers read it.
 */
import type { DmaChan } from './channel';
import type { DmaAsyncTxDescriptor } from './descriptor';
import { DmaBugError } from './errors';
import { DMA_MAX_COOKIE, DMA_MIN_COOKIE, DmaStatus, type DmaTxState } from './status';

/**
 * `dma_async_is_complete`: the window rule. With `lastComplete <= lastUsed`, a cookie is
 * complete when it is at or below the last completed one or above the last used one (a
 * cookie never handed out counts as complete); after a wrap (`lastComplete > lastUsed`) it is
 * complete when it lies in `(lastUsed, lastComplete]`.
 * @returns COMPLETE or IN_PROGRESS
 */
export function dmaAsyncIsComplete(cookie: number, lastComplete: number, lastUsed: number): DmaStatus {
  if (lastComplete <= lastUsed) {
    if (cookie <= lastComplete || cookie > lastUsed) return DmaStatus.COMPLETE;
  } else if (cookie <= lastComplete && cookie > lastUsed) {
    return DmaStatus.COMPLETE;
  }
  return DmaStatus.IN_PROGRESS;
}

/** @internal The cookie assigned just before `cookie` (the counter wraps from 1 back to 2^31-1). */
export function dmaCookiePrev(cookie: number): number {
  return cookie <= DMA_MIN_COOKIE ? DMA_MAX_COOKIE : cookie - 1;
}

/** `dma_submit_error(cookie)` (modern): the cookie when negative, else 0. */
export function dmaSubmitError(cookie: number): number {
  return cookie < 0 ? cookie : 0;
}

/** `dma_cookie_init(chan)`: last assigned = last completed = {@link DMA_MIN_COOKIE}. */
export function dmaCookieInit(chan: DmaChan): void {
  chan.cookie = DMA_MIN_COOKIE;
  chan.completedCookie = DMA_MIN_COOKIE;
}

/**
 * `dma_cookie_assign(tx)`: the next cookie of `tx.chan` (wrapping from 2^31-1 to 1), stored in
 * the descriptor and in the channel.
 * @returns the cookie
 */
export function dmaCookieAssign(tx: DmaAsyncTxDescriptor): number {
  const chan = tx.chan;
  if (chan === null) throw new DmaBugError('dmaCookieAssign: descriptor has no channel');
  let cookie = chan.cookie + 1;
  if (cookie > DMA_MAX_COOKIE || cookie < DMA_MIN_COOKIE) cookie = DMA_MIN_COOKIE;
  chan.cookie = cookie;
  tx.cookie = cookie;
  tx.txResult = null; // a reused descriptor starts over
  return cookie;
}

/**
 * `dma_cookie_complete(tx)`: the channel's completed cookie becomes the descriptor's, and the
 * descriptor's cookie is cleared to 0.
 * @throws DmaBugError when the descriptor holds no valid cookie (the kernel's BUG_ON)
 */
export function dmaCookieComplete(tx: DmaAsyncTxDescriptor): void {
  if (tx.cookie < DMA_MIN_COOKIE) throw new DmaBugError(`dmaCookieComplete: cookie ${tx.cookie} < DMA_MIN_COOKIE`);
  if (tx.chan === null) throw new DmaBugError('dmaCookieComplete: descriptor has no channel');
  tx.chan.completedCookie = tx.cookie;
  tx.cookie = 0;
}

/**
 * `dma_cookie_status(chan, cookie, state)`: fills `state` (last = completed, used = last
 * assigned, residue 0) and answers by the window rule.
 */
export function dmaCookieStatus(chan: DmaChan, cookie: number, state?: DmaTxState | null): DmaStatus {
  const used = chan.cookie;
  const complete = chan.completedCookie;
  if (state) {
    state.last = complete;
    state.used = used;
    state.residue = 0;
    state.inFlightBytes = 0;
  }
  return dmaAsyncIsComplete(cookie, complete, used);
}
