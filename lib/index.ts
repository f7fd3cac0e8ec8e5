/**
 * dmaengine: the Linux kernel's DMA offload model for Node.js.
 *
 * Entry point: re-exports the public surface of every layer. Nothing here has side effects;
 * the native addon is loaded on first use.
 */
export { machineInfo, formatKernelLines } from './info';
export type { MachineInfo } from './info';
export * from './dmaengine/index';
export { PlainDevice, PlainChan, createPlainDevice, registerPlainDevice } from './providers/plain';
export type { PlainDeviceOptions } from './providers/plain';
export { SoftDevice, createSoftDevice, registerSoftDevice } from './providers/soft';
export type { SoftDeviceOptions } from './providers/soft';
export { SoftChan, SOFT_FAULTS } from './providers/soft-chan';
export type { SoftFault } from './providers/soft-chan';
export { readKernelDma, readKernelDmaSummary, describeKernelDma, SYSFS_DMA_ROOT, DEBUGFS_DMA_SUMMARY } from './providers/kernel';
export type { KernelDmaView, KernelDmaChannel, KernelDmaController } from './providers/kernel';
export * from './dmabuf/index';
export { runDmatest } from './dmatest/runner';
export type { DmatestRunOptions } from './dmatest/runner';
export { runKernelDmatest } from './dmatest/kernel-bridge';
export type { KernelDmatestOptions } from './dmatest/kernel-bridge';
export { parseDmatestLog } from './dmatest/log-parser';
export type { ParsedDmatestLog, DmatestLogResult, DmatestLogSummary } from './dmatest/log-parser';
export { resolveDmatestParams, DMATEST_DEFAULTS } from './dmatest/params';
export type { DmatestParams } from './dmatest/params';
export type { DmatestRunResult, DmatestChannelResult, DmatestThreadResult } from './dmatest/result';
export * from './async_tx/index';
