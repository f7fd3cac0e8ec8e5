/**
 * The client's channel operations: issue, status, submit, wait, terminate (§2.11).
 *
 * Model: each is a thin call into the channel's provider, after checking that the channel is
 * registered and its device still present (ENODEV otherwise, notably after a forced
 * unregistration). `dmaSyncWait` polls `deviceTxStatus` as the kernel does; a provider whose
 * work completes on other threads (or that finishes work when polled, as many kernel drivers
 * clean up in `device_tx_status`) lets it finish.
 *
 * Call order: prep (provider) → `dmaengineSubmit` → `dmaAsyncIssuePending` → status or wait;
 * `dmaengineTerminateSync` (or Async + `dmaengineSynchronize`) to abandon work.
 *
 * Threading: JavaScript thread only. `dmaSyncWait` blocks the thread while it polls.
 */
import { DmaChan } from './channel';
import { dmaAsyncIsComplete } from './cookie';
import { checkDescriptor } from './checks';
import type { DmaAsyncTxDescriptor } from './descriptor';
import type { DmaDevice } from './device';
import { DmaEngineError, errnoName } from './errors';
import { DmaStatus, type DmaTxState, type Holder, dmaTxState } from './status';
import { checkInt, invalidType } from '../validate';

/** @internal the channel's device, or the error of a dead or unregistered channel */
export function liveDevice(chan: DmaChan, fn: string): DmaDevice {
  if (!(chan instanceof DmaChan)) throw invalidType('a DmaChan', 'chan', chan);
  if (chan.removed) throw new DmaEngineError('ENODEV', `${fn}: ${chan.name}: its device was removed`);
  if (chan.device === null) throw new DmaEngineError('ENODEV', `${fn}: channel is not registered`);
  return chan.device;
}

function checkCookie(cookie: unknown): number {
  return checkInt(cookie, 'cookie', -0x80000000, 0x7fffffff);
}

/** `dma_async_issue_pending(chan)`: ring the channel's doorbell. */
export function dmaAsyncIssuePending(chan: DmaChan): void {
  liveDevice(chan, 'dma_async_issue_pending').deviceIssuePending!(chan);
}

/** `dmaengine_tx_status(chan, cookie, state)` */
export function dmaengineTxStatus(chan: DmaChan, cookie: number, state?: DmaTxState | null): DmaStatus {
  const dev = liveDevice(chan, 'dmaengine_tx_status');
  return dev.deviceTxStatus!(chan, checkCookie(cookie), state ?? null);
}

/**
 * `dma_async_is_tx_complete(chan, cookie, &last, &used)`.
 * @param last filled with the last completed cookie when given
 * @param used filled with the last assigned cookie when given
 */
export function dmaAsyncIsTxComplete(chan: DmaChan, cookie: number, last?: Holder<number> | null,
  used?: Holder<number> | null): DmaStatus {
  const state = dmaTxState();
  const status = dmaengineTxStatus(chan, cookie, state);
  if (last) last.value = state.last;
  if (used) used.value = state.used;
  return status;
}

export { dmaAsyncIsComplete };

/**
 * `dmaengine_submit(desc)`: `desc.txSubmit(desc)`.
 * @returns the cookie (negative on a provider error, as in the kernel)
 */
export function dmaengineSubmit(desc: DmaAsyncTxDescriptor): number {
  checkDescriptor(desc, 'desc');
  if (desc.chan === null) throw new DmaEngineError('EINVAL', 'dmaengine_submit: descriptor has no channel');
  liveDevice(desc.chan, 'dmaengine_submit');
  if (typeof desc.txSubmit !== 'function') throw invalidType('a function', 'desc.txSubmit', desc.txSubmit);
  return desc.txSubmit(desc);
}

/**
 * `dma_sync_wait(chan, cookie)`: issue, then poll until the cookie is no longer in progress;
 * ERROR after the instance's timeout (5000 ms, as the kernel's).
 */
export function syncWait(chan: DmaChan, cookie: number, timeoutMs: number): DmaStatus {
  const dev = liveDevice(chan, 'dma_sync_wait');
  const c = checkCookie(cookie);
  const deadline = Date.now() + timeoutMs;
  dev.deviceIssuePending!(chan);
  for (;;) {
    const status = dev.deviceTxStatus!(chan, c, null);
    if (Date.now() >= deadline && status === DmaStatus.IN_PROGRESS) return DmaStatus.ERROR; // "timeout!"
    if (status !== DmaStatus.IN_PROGRESS) return status;
  }
}

function errnoCall(ret: number | void, fn: string, chan: DmaChan): void {
  if (typeof ret === 'number' && ret < 0) {
    throw new DmaEngineError(errnoName(ret) ?? 'EIO', `${fn}: ${chan.name}: provider returned ${ret}`);
  }
}

/**
 * `dmaengine_terminate_async(chan)`: abort active and pending descriptors; callbacks may still
 * run afterwards.
 * @throws DmaEngineError EINVAL when the provider has no `deviceTerminateAll`
 */
export function dmaengineTerminateAsync(chan: DmaChan): void {
  const dev = liveDevice(chan, 'dmaengine_terminate_async');
  if (!dev.deviceTerminateAll) throw new DmaEngineError('EINVAL', `dmaengine_terminate_async: ${chan.name}: terminate not supported`);
  errnoCall(dev.deviceTerminateAll(chan), 'dmaengine_terminate_async', chan);
}

/** `dmaengine_synchronize(chan)`: wait until terminated transfers stopped and callbacks ran. */
export function dmaengineSynchronize(chan: DmaChan): void {
  const dev = liveDevice(chan, 'dmaengine_synchronize');
  if (dev.deviceSynchronize) dev.deviceSynchronize(chan);
}

/** `dmaengine_terminate_sync(chan)` = terminate async + synchronize. */
export function dmaengineTerminateSync(chan: DmaChan): void {
  dmaengineTerminateAsync(chan);
  dmaengineSynchronize(chan);
}
