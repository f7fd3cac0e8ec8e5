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

export * from './caps';
export * from './errors';
export * from './status';
export { DmaChan, dmaChanName, dmaChanSetCookies, newCookieCell } from './channel';
export { COOKIE_USED, COOKIE_COMPLETED, COOKIE_CELL_WORDS, COOKIE_CELL_STRIDE } from './abi';
export type { DmaChanOptions } from './channel';
export * from './device';
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
/** `dma_async_issue_pending(chan)` */
export function dmaAsyncIssuePending(chan: DmaChan): void { defaultDmaEngine().dmaAsyncIssuePending(chan); }
/** `dma_async_is_tx_complete(chan, cookie, &last, &used)` */
export function dmaAsyncIsTxComplete(chan: DmaChan, cookie: number, last?: Holder<number> | null, used?: Holder<number> | null): DmaStatus {
  return defaultDmaEngine().dmaAsyncIsTxComplete(chan, cookie, last, used);
}
/** `dmaengine_tx_status(chan, cookie, state)` */
export function dmaengineTxStatus(chan: DmaChan, cookie: number, state?: DmaTxState | null): DmaStatus {
  return defaultDmaEngine().dmaengineTxStatus(chan, cookie, state);
}
/** `dma_sync_wait(chan, cookie)` (default instance's timeout, 5000 ms) */
export function dmaSyncWait(chan: DmaChan, cookie: number): DmaStatus { return defaultDmaEngine().dmaSyncWait(chan, cookie); }
/** `dmaengine_submit(desc)` */
export function dmaengineSubmit(desc: DmaAsyncTxDescriptor): number { return defaultDmaEngine().dmaengineSubmit(desc); }
/** `dmaengine_terminate_async(chan)` */
export function dmaengineTerminateAsync(chan: DmaChan): void { defaultDmaEngine().dmaengineTerminateAsync(chan); }
/** `dmaengine_terminate_sync(chan)` */
export function dmaengineTerminateSync(chan: DmaChan): void { defaultDmaEngine().dmaengineTerminateSync(chan); }
/** `dmaengine_synchronize(chan)` */
export function dmaengineSynchronize(chan: DmaChan): void { defaultDmaEngine().dmaengineSynchronize(chan); }
/** The default instance's channels, sysfs-shaped. */
export function listChannels(): DmaChannelInfo[] { return defaultDmaEngine().listChannels(); }
/** The default instance's debugfs summary text (`DmaEngine.summary()`). */
export function dmaengineSummary(): string { return defaultDmaEngine().summary(); }
