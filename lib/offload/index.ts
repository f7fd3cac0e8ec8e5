/**
 * The Promise API (the layer Node programs expect, over the kernel-faithful one): open an
 * engine with {@link openDma}, then `await dma.copy(...)`, `dma.xor(...)`,
 * `dma.raid6.recover(...)`, … The doorbell rings by itself once per tick, small operations
 * run inline, failures reject, AbortSignal aborts what has not started. docs/offload.md.
 */
export { openDma } from './open';
export type { OpenDmaOptions } from './open';
export { Dma } from './dma';
export type { DmaEngineName, DmaPlacement } from './dma';
export { Raid6 } from './raid6';
export type { Raid6CheckResult } from './raid6';
export type { OpOptions } from './args';
export { DmaTransferError } from './errors';
export type { InlineCalibration } from './threshold';
