/**
 * The dmaengine core's public surface: the kernel-style free functions, which act on one
 * default instance (created on first use with the machine's CPUs and NUMA nodes, `min_chan`
 * policy, no devices), and every type and provider helper.
 *
 * Threading: JavaScript thread only.
 */
import type { DmaCap, DmaCapMask } from './caps';
import type { DmaChan } from './channel';
import type { DmaAsyncTxDescriptor } from './descriptor';
import type { DmaDevice } from './device';
import type { DmaFilterFn } from './private';
import type { UnregisterOptions } from './registry';
import type { DmaStatus, DmaTxState, Holder } from './status';
import type { DmaChannelInfo } from './introspect';

// checkMask is the core's own helper, not part of the API.
export {
  DmaCap, DMA_TX_TYPE_END, ALL_DMA_CAPS, TABLE_CAPS, dmaCapName, DmaCapMask, dmaCapZero, dmaCapSet, dmaCapClear,
  dmaHasCap, dmaMaskSatisfies,
} from './caps';
export * from './errors';
export * from './status';
export { DmaChan, dmaChanName, dmaChanSetCookies, newCookieCell } from './channel';
export { COOKIE_USED, COOKIE_COMPLETED, COOKIE_CELL_WORDS, COOKIE_CELL_STRIDE } from './abi';
export type { DmaChanOptions } from './channel';
export * from './device';
export * from './slave';
export {
  DmaAsyncTxDescriptor, dmaAsyncTxDescriptorInit, dmaRunDependencies, dmaengineDescCallbackInvoke,
  dmaengineDescGetCallback, dmaengineDescCallbackValid,
} from './descriptor';
export type { DmaAsyncTxCallback, DmaAsyncTxCallbackResult, DmaengineDescCallback } from './descriptor';
export { dmaCookieInit, dmaCookieAssign, dmaCookieComplete, dmaCookieStatus, dmaAsyncIsComplete, dmaSubmitError } from './cookie';
export { DmaEngine, createDmaEngine } from './instance';
export type { DmaEngineOptions } from './instance';
export type { DmaFilterFn } from './private';
export type { UnregisterOptions } from './registry';
export type { DmaPolicy } from './state';
export type { DmaChannelInfo } from './introspect';
export { deviceHasAllTxTypes } from './registry';

export { defaultDmaEngine } from './default-instance';
import { defaultDmaEngine } from './default-instance';

/** `dma_async_device_register(device)` on the default instance. See {@link DmaEngine.dmaAsyncDeviceRegister}. */
export function dmaAsyncDeviceRegister(device: DmaDevice): void { defaultDmaEngine().dmaAsyncDeviceRegister(device); }
/** `dma_async_device_unregister(device)` on the default instance. */
export function dmaAsyncDeviceUnregister(device: DmaDevice, options?: UnregisterOptions): void {
  defaultDmaEngine().dmaAsyncDeviceUnregister(device, options);
}
/** `dmaengine_get()` on the default instance. */
export function dmaengineGet(): void { defaultDmaEngine().dmaengineGet(); }
/** `dmaengine_put()` on the default instance. */
export function dmaenginePut(): void { defaultDmaEngine().dmaenginePut(); }
/** `dma_find_channel(cap)` on the default instance, for the calling CPU or `cpu`. */
export function dmaFindChannel(cap: DmaCap, cpu?: number): DmaChan | null { return defaultDmaEngine().dmaFindChannel(cap, cpu); }
/** `dma_issue_pending_all()` on the default instance. */
export function dmaIssuePendingAll(): void { defaultDmaEngine().dmaIssuePendingAll(); }
/** `dma_request_channel(mask, filterFn, filterParam)` on the default instance. */
export function dmaRequestChannel(mask: DmaCapMask, filterFn?: DmaFilterFn | null, filterParam?: unknown): DmaChan | null {
  return defaultDmaEngine().dmaRequestChannel(mask, filterFn, filterParam);
}
/** `dma_request_chan_by_mask(mask)` on the default instance. */
export function dmaRequestChanByMask(mask: DmaCapMask): DmaChan { return defaultDmaEngine().dmaRequestChanByMask(mask); }
/** `dma_release_channel(chan)` on the default instance. */
export function dmaReleaseChannel(chan: DmaChan): void { defaultDmaEngine().dmaReleaseChannel(chan); }
/**
 * `dma_async_issue_pending(chan)`: ring the channel's doorbell, so the descriptors submitted on
 * it start (the provider's `deviceIssuePending`).
 * @throws TypeError for a non-channel; DmaEngineError ENODEV when its device is gone
 */
export function dmaAsyncIssuePending(chan: DmaChan): void { defaultDmaEngine().dmaAsyncIssuePending(chan); }
/**
 * `dma_async_is_tx_complete(chan, cookie, &last, &used)`: the cookie's {@link DmaStatus}, with
 * the channel's last completed and last assigned cookies written to `last` and `used` when given.
 * @throws DmaEngineError ENODEV when the channel's device is gone
 */
export function dmaAsyncIsTxComplete(chan: DmaChan, cookie: number, last?: Holder<number> | null, used?: Holder<number> | null): DmaStatus {
  return defaultDmaEngine().dmaAsyncIsTxComplete(chan, cookie, last, used);
}
/**
 * `dmaengine_tx_status(chan, cookie, state)`: the cookie's {@link DmaStatus} as the provider
 * answers it, filling `state` (last/used cookies, residue) when given.
 * @throws DmaEngineError ENODEV when the channel's device is gone
 */
export function dmaengineTxStatus(chan: DmaChan, cookie: number, state?: DmaTxState | null): DmaStatus {
  return defaultDmaEngine().dmaengineTxStatus(chan, cookie, state);
}
/**
 * `dma_sync_wait(chan, cookie)`: issue, then block the thread polling until the cookie is no
 * longer in progress; `DmaStatus.ERROR` after the default instance's timeout (5000 ms).
 */
export function dmaSyncWait(chan: DmaChan, cookie: number): DmaStatus { return defaultDmaEngine().dmaSyncWait(chan, cookie); }
/**
 * `dmaengine_submit(desc)`: queue a prepared descriptor on its channel (the provider's
 * `txSubmit`); it runs after the next issue-pending.
 * @returns the cookie, or a negative errno from the provider, as in the kernel
 * @throws DmaEngineError EINVAL for a descriptor with no channel, ENODEV when its device is gone
 */
export function dmaengineSubmit(desc: DmaAsyncTxDescriptor): number { return defaultDmaEngine().dmaengineSubmit(desc); }
/**
 * `dmaengine_terminate_async(chan)`: ask the provider to abort every transfer on the channel; it
 * may still be stopping, and callbacks may still run, until {@link dmaengineSynchronize}.
 * @throws DmaEngineError EINVAL when the provider cannot terminate, or the provider's errno
 */
export function dmaengineTerminateAsync(chan: DmaChan): void { defaultDmaEngine().dmaengineTerminateAsync(chan); }
/**
 * `dmaengine_terminate_sync(chan)`: {@link dmaengineTerminateAsync}, then
 * {@link dmaengineSynchronize}: on return nothing runs on the channel any more.
 */
export function dmaengineTerminateSync(chan: DmaChan): void { defaultDmaEngine().dmaengineTerminateSync(chan); }
/**
 * `dmaengine_synchronize(chan)`: wait until the transfers terminated on the channel stopped and
 * their callbacks ran (nothing for a provider without `deviceSynchronize`).
 */
export function dmaengineSynchronize(chan: DmaChan): void { defaultDmaEngine().dmaengineSynchronize(chan); }
/** The default instance's channels, sysfs-shaped. */
export function listChannels(): DmaChannelInfo[] { return defaultDmaEngine().listChannels(); }
/** The default instance's debugfs summary text (`DmaEngine.summary()`). */
export function dmaengineSummary(): string { return defaultDmaEngine().summary(); }
